// Replay of stored deliveries: the stored body byte for byte with Soveren's headers, signed
// afresh with a token or with the stored signature header verbatim, retried per policy.
// Every try is stored as an attempt and announced. Shared by `replay`, the API and live
// forwarding; a failing target is an outcome, never an exception.
import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import type { Attempt, AttemptSent } from '../common/protocol.ts';
import type { AttemptStore, NewAttempt } from '../store/attempts.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { deliverWithRetries, retryTries, type RetryPolicy } from './deliver.ts';
import type { OutboundResult } from './http.ts';
import { buildSoverenHeaders, storedSignatureHeaders, type Signing } from './soveren-request.ts';
import { redactUrl } from './target-url.ts';
import type { SiemRoute } from './transports/index.ts';
import { renderMessage } from './transports/render.ts';
import { failedTry } from './transports/types.ts';

export type ReplaySigning = { mode: 'token'; token: string } | { mode: 'keep' } | { mode: 'none' };

/** Request fields -> signing: `keepSignature` (stored header verbatim), a `token` (fresh HMAC), or unsigned. */
export function signingFrom(b: { token?: string | null | undefined; keepSignature?: boolean | null | undefined }): ReplaySigning {
  return b.keepSignature ? { mode: 'keep' } : b.token ? { mode: 'token', token: b.token } : { mode: 'none' };
}

export interface ReplayTarget {
  url: string;
  signing: ReplaySigning;
  timeoutMs: number;
  policy: RetryPolicy;
  signal?: AbortSignal;
  /** Replay with changes: these bytes instead of the stored ones (not with `keep`). */
  body?: Buffer;
  /** A SIEM target (hec+, elastic+, syslog+): its transport and payload; signing does not apply. */
  siem?: SiemRoute | null;
  /** Connections kept open to an http(s) target between deliveries (live forwarding). */
  agent?: Agent;
  /** The delivery as just committed (live forwarding): used instead of reading it back. */
  stored?: StoredRaw;
}

/** What a replay needs of a stored delivery (DeliveryStore.getRaw's fields). */
export interface StoredRaw {
  body: Buffer;
  headers: [string, string][];
  receivedAt: string;
  bodySha256: string;
}

export interface ReplayOutcome {
  deliveryId: number;
  found: boolean;
  ok: boolean;
  /** Stored attempts (empty when the delivery was deleted meanwhile). */
  attempts: Attempt[];
  /** Every try's raw result, in order. */
  results: OutboundResult[];
  error: string | null;
}

export interface ReplayerDeps {
  deliveries: Pick<DeliveryStore, 'getRaw'>;
  attempts: Pick<AttemptStore, 'record'>;
  kind: Attempt['kind'];
  /** After an attempt is stored (stream it, print it). */
  onAttempt?: (deliveryId: number, attempt: Attempt, result: OutboundResult) => void;
  /** Recording failed (database busy or closed); the replay itself goes on. */
  onStoreError?: (err: Error) => void;
  /**
   * Record attempts later, in batches (live forwarding, attempt-batch.ts): `attempts.record`
   * and `onAttempt` are then not used and the outcome's `attempts` stays empty.
   */
  queueAttempt?: (attempt: NewAttempt) => void;
}

export type Replayer = ReturnType<typeof createReplayer>;

/** One try as the attempt to store: `target` already shown without user:password. */
export function newAttempt(deliveryId: number, kind: Attempt['kind'], target: string, sent: AttemptSent, r: OutboundResult): NewAttempt {
  return {
    deliveryId, kind, target, status: r.status, ok: r.ok, durationMs: r.durationMs, error: r.error,
    at: new Date(r.startedAt).toISOString(), responseHeaders: r.responseHeaders, responseBody: r.responseBody, sent,
  };
}

export function createReplayer(deps: ReplayerDeps) {
  function record(deliveryId: number, target: string, sent: AttemptSent, r: OutboundResult): Attempt | undefined {
    const attempt = newAttempt(deliveryId, deps.kind, target, sent, r);
    if (deps.queueAttempt) {
      deps.queueAttempt(attempt);
      return undefined;
    }
    try {
      return deps.attempts.record(attempt);
    } catch (err) {
      deps.onStoreError?.(err as Error);
      return undefined;
    }
  }

  async function replay(deliveryId: number, target: ReplayTarget): Promise<ReplayOutcome> {
    const raw = target.stored ?? deps.deliveries.getRaw(deliveryId);
    if (!raw) return { deliveryId, found: false, ok: false, attempts: [], results: [], error: `delivery ${deliveryId} not found` };
    if (target.body && target.signing.mode === 'keep') throw new Error('an edited body cannot keep the stored signature');
    const body = target.body ?? raw.body;
    const shownTarget = redactUrl(target.url);
    const sent = describeSent(target);
    const attempts: Attempt[] = [];
    const options = {
      policy: target.policy,
      ...(target.signal && { signal: target.signal }),
      onAttempt: (r: OutboundResult) => {
        const attempt = record(deliveryId, shownTarget, sent, r);
        if (attempt) {
          attempts.push(attempt);
          deps.onAttempt?.(deliveryId, attempt, r);
        }
      },
    };
    let results: OutboundResult[];
    if (target.siem) {
      const { transport, render } = target.siem;
      const rendered = renderMessage({ id: deliveryId, receivedAt: raw.receivedAt, body, ...(body === raw.body && { bodySha256: raw.bodySha256 }) }, render);
      results = await retryTries(
        (signal) => (rendered.ok ? transport.send([rendered.message], { timeoutMs: target.timeoutMs, ...(signal && { signal }) }) : Promise.resolve(failedTry(rendered.reason))),
        (r) => r.retryable, options,
      );
    } else {
      const signing: Signing = target.signing.mode === 'keep'
        ? { mode: 'keep', headers: storedSignatureHeaders(raw.headers) }
        : target.signing;
      const headers = buildSoverenHeaders(body, signing);
      results = await deliverWithRetries({ url: target.url, headers, body, timeoutMs: target.timeoutMs, ...(target.agent && { agent: target.agent }) }, options);
    }
    const last = results[results.length - 1]!;
    return { deliveryId, found: true, ok: last.ok, attempts, results, error: last.error };
  }

  return { replay };
}

/** What a replay of `target` sends, as the attempt records it (the token itself never). */
export function describeSent(target: Pick<ReplayTarget, 'signing' | 'body'> & { siem?: { render: SiemRoute['render'] } | null }): AttemptSent {
  const edited = target.body ?? null;
  return {
    // A SIEM transport carries no Soveren signature, whatever the signing setting says.
    signing: target.siem ? 'none' : target.signing.mode === 'token' ? 'fresh' : target.signing.mode === 'keep' ? 'kept' : 'none',
    format: target.siem ? target.siem.render.format : 'soveren',
    editedBody: edited === null ? null : edited.toString('utf8'),
    editedSha256: edited === null ? null : createHash('sha256').update(edited).digest('hex'),
  };
}
