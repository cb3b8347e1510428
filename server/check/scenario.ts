// What a conformance scenario is, and how it sends one request to the connector: exactly
// as Soveren would (POST, JSON, SoverenWebhook/1.0, x-soveren-signature) unless it means not to.
import type { CheckLatency, CheckOutcome, CheckScenarioInfo, CheckSettings } from '../common/protocol.ts';
import { sendRequest, type OutboundResult } from '../sender/http.ts';
import { SIGNATURE_HEADER, SOVEREN_USER_AGENT } from '../common/catalog.ts';
import { createEvent, serializeEvent, type CategoryForm, type SoverenEvent } from '../soveren/events.ts';
import { signBody } from '../soveren/signature.ts';

export interface ScenarioContext {
  url: string;
  /** Signs requests only; never reported. */
  token: string;
  settings: CheckSettings;
  /** Events of one run share a clock, so their `time` fields read like one batch. */
  now: Date;
  signal?: AbortSignal;
  /** `check --through`: every request is noted, to find its event in the SIEM later. */
  sent?: { record(body: Uint8Array, headers: readonly [string, string][], status: number | null, sentAt: number): void };
  /** Every request and its answer, for the exchange a failed scenario shows (exchange.ts). */
  onExchange?(url: string, headers: readonly [string, string][], body: Uint8Array, result: OutboundResult): void;
}

export interface Verdict {
  outcome: CheckOutcome;
  got: string;
  reason: string | null;
  durationMs: number;
  latency?: CheckLatency;
  /** false when no request got any HTTP answer (timeouts, refused connections). */
  answered: boolean;
}

export interface Scenario extends CheckScenarioInfo {
  run(ctx: ScenarioContext): Promise<Verdict>;
}

/** Bytes of the response kept: enough for a reason snippet, never more. */
const RESPONSE_BYTES = 4096;

/** POST `body` with `headers` to the connector, with the run's timeout; the outcome is data. */
export async function post(ctx: ScenarioContext, body: Uint8Array, headers: [string, string][]): Promise<OutboundResult> {
  // The delivery's time: SIEM latency runs from here (a connector may write before it answers).
  const sentAt = Date.now();
  const result = await sendRequest({
    url: ctx.url,
    method: 'POST',
    headers,
    body,
    timeoutMs: ctx.settings.timeoutMs,
    maxResponseBytes: RESPONSE_BYTES,
    ...(ctx.signal && { signal: ctx.signal }),
  });
  ctx.sent?.record(body, headers, result.status, sentAt);
  ctx.onExchange?.(ctx.url, headers, body, result);
  return result;
}

export interface HeaderOptions {
  /** Signature header value(s); default: a fresh valid one. An empty list sends none. */
  signatures?: string[];
  /** null sends no User-Agent at all. */
  userAgent?: string | null;
}

/** The headers Soveren sends for `body`, with the given deviations. */
export function soverenHeaders(ctx: ScenarioContext, body: Uint8Array, options: HeaderOptions = {}): [string, string][] {
  const headers: [string, string][] = [['Content-Type', 'application/json']];
  const userAgent = options.userAgent === undefined ? SOVEREN_USER_AGENT : options.userAgent;
  if (userAgent !== null) headers.push(['User-Agent', userAgent]);
  for (const value of options.signatures ?? [signBody(body, ctx.token)]) headers.push([SIGNATURE_HEADER, value]);
  return headers;
}

/** Scenario events are seeded by their position, so one run's bodies all differ from each other. */
let nextIndex = 0;

/** A realistic event of `eventType`, serialized as Soveren puts it on the wire. */
export function eventBody(ctx: ScenarioContext, eventType: string, form: CategoryForm = 'display',
  change: (e: SoverenEvent) => SoverenEvent = (e) => e): Buffer {
  const event = createEvent(eventType, { seed: 7, index: nextIndex++, categoryForm: form, now: ctx.now });
  return Buffer.from(serializeEvent(change(event)), 'utf8');
}

/** POST a validly signed event: what every "is accepted" scenario sends. */
export function postSigned(ctx: ScenarioContext, body: Buffer): Promise<OutboundResult> {
  return post(ctx, body, soverenHeaders(ctx, body));
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}
