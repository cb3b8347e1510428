// Test events sent the way Soveren sends them: which types, each request built (signed,
// maybe tampered), sent through the pool, and summed up. Shared by `send` and POST /api/send.
import type { SendResult, SendSummary, TamperKind } from '../common/protocol.ts';
import { EVENT_TYPES, findCategory, isKnownEventType, CATEGORIES } from '../common/catalog.ts';
import { createEvent, serializeEvent, type CategoryForm } from '../soveren/events.ts';
import { sendRequest, type OutboundResult } from './http.ts';
import { runPool } from './pool.ts';
import { countStatuses, summarizeLatency } from './report.ts';
import { prepareRequest, tamperNeedsToken } from './soveren-request.ts';
import { countTamperOutcomes, TAMPER_RULES } from '../check/tamper-judge.ts';

/** Bad selection; `field` names the flag or JSON field at fault. */
export class SendInputError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

export interface SendSelection {
  types?: readonly string[];
  category?: string;
  all?: boolean;
}

/** The event types to send, in order; undocumented `types` are kept (forward compatibility) and listed. */
export function resolveEventTypes(sel: SendSelection): { types: string[]; unknown: string[] } {
  const given = [...(sel.types ?? [])];
  if (sel.all && (given.length > 0 || sel.category !== undefined)) {
    throw new SendInputError('all cannot be combined with type or category', 'all');
  }
  if (sel.all) return { types: [...EVENT_TYPES], unknown: [] };
  for (const t of given) if (!/^[\w.:-]{1,100}$/.test(t)) throw new SendInputError(`"${t.slice(0, 40)}" is not an event type name`, 'type');
  const types = [...new Set(given)];
  if (sel.category !== undefined) {
    const info = findCategory(sel.category);
    if (!info) {
      const forms = CATEGORIES.map((c) => `"${c.display}"/${c.facet}`).join(', ');
      throw new SendInputError(`unknown category "${sel.category.slice(0, 60)}" (any form of: ${forms})`, 'category');
    }
    types.push(...info.eventTypes.filter((t) => !types.includes(t)));
  }
  if (types.length === 0) throw new SendInputError('choose what to send: all, type or category', 'type');
  return { types, unknown: types.filter((t) => !isKnownEventType(t)) };
}

export interface SendOptions {
  to: string;
  token: string | null;
  types: readonly string[];
  /** Rounds over `types`. */
  count: number;
  seed: number;
  categoryForm: CategoryForm;
  tamper: TamperKind | null;
  concurrency: number;
  ratePerSec: number | null;
  timeoutMs: number;
  signal?: AbortSignal;
  now?: Date;
  /** Each result as it ends, with the raw outbound result (headers, body). */
  onResult?: (result: SendResult, outbound: OutboundResult) => void;
}

const INSPECTOR_ID_HEADER = 'x-soveren-inspector-id';

/** Send `count × types` events; results in index order (holes when stopped early are left out). */
export async function sendEvents(o: SendOptions): Promise<SendResult[]> {
  if (o.tamper !== null && tamperNeedsToken(o.tamper) && o.token === null) {
    throw new SendInputError(`tamper ${o.tamper} needs a token: without one no receiver checks a signature`, 'token');
  }
  const total = o.types.length * o.count;
  const now = o.now ?? new Date();
  const results: (SendResult | undefined)[] = new Array(total);
  await runPool(total, async (index) => {
    const eventType = o.types[index % o.types.length]!;
    // Same index semantics as createEvents: one sequence across rounds.
    const body = Buffer.from(serializeEvent(createEvent(eventType, { seed: o.seed, index, categoryForm: o.categoryForm, now })), 'utf8');
    const prepared = prepareRequest(body, o.token, o.tamper);
    const outbound = await sendRequest({ url: o.to, headers: prepared.headers, body: prepared.body, timeoutMs: o.timeoutMs, ...(o.signal && { signal: o.signal }) });
    const idHeader = outbound.responseHeaders.find(([k]) => k.toLowerCase() === INSPECTOR_ID_HEADER)?.[1];
    const result: SendResult = {
      index, eventType, status: outbound.status, ok: outbound.ok, durationMs: outbound.durationMs, error: outbound.error,
      deliveryId: idHeader !== undefined && /^\d{1,15}$/.test(idHeader) ? Number(idHeader) : null,
    };
    results[index] = result;
    o.onResult?.(result, outbound);
  }, { concurrency: o.concurrency, ratePerSec: o.ratePerSec, ...(o.signal && { signal: o.signal }) });
  return results.filter((r): r is SendResult => r !== undefined);
}

/** Summary; `passed` is what the CLI's exit code says: all 2xx, or with tampering, every answer as the check's rules expect. */
export function summarizeSend(results: readonly SendResult[], meta: { target: string; signed: boolean; seed: number; tamper: TamperKind | null; warnings: string[] }): SendSummary {
  const ok = results.filter((r) => r.ok).length;
  const answered = results.filter((r) => r.status !== null);
  const latency = summarizeLatency(answered.map((r) => r.durationMs));
  const acceptedTampered = meta.tamper === null ? 0 : ok;
  const mismatches = meta.tamper === null ? 0 : countTamperOutcomes(meta.tamper, results).fail;
  return {
    target: meta.target,
    sent: results.length,
    ok,
    failed: results.length - ok,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    statuses: countStatuses(results),
    signed: meta.signed,
    seed: meta.seed,
    tamper: meta.tamper,
    acceptedTampered,
    expected: meta.tamper === null ? null : TAMPER_RULES[meta.tamper].expected,
    mismatches,
    passed: results.length > 0 && (meta.tamper === null ? ok === results.length : mismatches === 0),
    warnings: meta.warnings,
  };
}
