// Live forwarding to a SIEM target in batches: a target's queued deliveries are rendered one
// by one (yielding to the receiver between small groups) and carried by one transport try
// per batch (one HEC POST, one _bulk body, one syslog write), yet each delivery keeps its
// own outcome and its own stored attempt per try. Retries resend only the deliveries whose
// outcome could change (a busy collector: all; a _bulk answer: only the throttled items).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { computeRetryDelay, triesOf, type RetryPolicy } from './deliver.ts';
import type { OutboundResult } from './http.ts';
import { sleep } from './pool.ts';
import type { StoredRaw } from './replay.ts';
import type { SiemRoute } from './transports/index.ts';
import { renderMessage, type Rendered } from './transports/render.ts';
import type { TargetKind } from './transports/target.ts';
import { failedTry, type TransportTry } from './transports/types.ts';

export interface BatchLimits {
  /** Most deliveries in one request or write. */
  maxCount: number;
  /** Most bytes of rendered messages in one request or write (a single larger message goes alone). */
  maxBytes: number;
}

/**
 * Where a batch closes. HEC: Splunk's limits.conf [http_input] max_content_length is
 * 838,860,800 bytes since Splunk 6.5 but was 1,000,000 before (docs.splunk.com "limits.conf",
 * [http_input]), and a site may set it lower again; 512 KiB stays well under the old default.
 * Elasticsearch: http.max_content_length defaults to 100mb, and Elastic's "Tune for indexing
 * speed" advises erring towards fewer documents and staying well below a couple tens of MB
 * per bulk request; 4 MiB. Syslog: one socket write, 4 MiB. 500 deliveries at most, between
 * Logstash's pipeline.batch.size (125) and Beats' bulk_max_size (1600).
 */
export const BATCH_LIMITS: Readonly<Record<Exclude<TargetKind, 'http'>, BatchLimits>> = {
  hec: { maxCount: 500, maxBytes: 512 * 1024 },
  elastic: { maxCount: 500, maxBytes: 4 * 1024 * 1024 },
  syslog: { maxCount: 500, maxBytes: 4 * 1024 * 1024 },
};

/**
 * How long the first queued delivery waits for others to join its batch (ms), as Logstash's
 * pipeline.batch.delay (50 ms) and Beats' flush timeout do: a batch goes when full or when
 * its first delivery has waited this long. --forward-batch-ms, PUT /api/forwarding batchMs.
 */
export const DEFAULT_BATCH_MS = 50;

/** Renders per turn of the event loop: a backlog is mapped in slices, never in one long block. */
const RENDER_SLICE = 16;

/** Bodies up to this size wait in a target's queue as received; larger ones are read back when their turn comes. */
const STORED_IN_QUEUE_MAX = 64 * 1024;

/** What a queued delivery keeps of the committed record: its bytes, unless they are large. */
export function storedOf(r: NewDelivery | undefined): StoredRaw | null {
  if (!r || r.body.length > STORED_IN_QUEUE_MAX) return null;
  return { body: r.body, headers: r.headers, receivedAt: new Date(r.receivedAt).toISOString(), bodySha256: r.bodySha256 };
}

/** A delivery waiting for its try; `stored` when its bytes are still in memory from the commit. */
export interface QueuedDelivery {
  id: number;
  stored: StoredRaw | null;
  /** When it was queued (ms): the batch's linger counts from its first delivery. */
  queuedAt: number;
  /** Rendered for `route` but left for the next batch (it did not fit in the bytes left). */
  rendered?: { route: SiemRoute; message: string; bytes: number };
}

export interface BatchEntry {
  id: number;
  message: string;
  /** Every try's outcome for this delivery, in order. */
  results: OutboundResult[];
}

export interface TakenBatch {
  entries: BatchEntry[];
  /** Deliveries whose body has no form for this target: each fails alone, with the reason. */
  unrenderable: { id: number; result: TransportTry }[];
}

/**
 * Take the next batch off the head of `queue`, rendering as it goes. A delivery deleted
 * meanwhile is skipped; one that cannot be mapped is set apart; one that would pass the
 * byte limit stays at the head, rendered, for the next batch.
 */
export async function takeBatch(queue: QueuedDelivery[], route: SiemRoute, deliveries: Pick<DeliveryStore, 'getRaw'>, limits: BatchLimits): Promise<TakenBatch> {
  const taken: TakenBatch = { entries: [], unrenderable: [] };
  let bytes = 0;
  let rendersThisTurn = 0;
  while (queue.length > 0 && taken.entries.length < limits.maxCount) {
    if (rendersThisTurn >= RENDER_SLICE) {
      await nextTurn();
      rendersThisTurn = 0;
      continue; // the queue may have been cleared meanwhile (stopped, target removed)
    }
    const head = queue[0]!;
    let rendered = head.rendered?.route === route ? head.rendered : undefined;
    if (!rendered) {
      rendersThisTurn++;
      const raw = head.stored ?? deliveries.getRaw(head.id);
      if (!raw) {
        queue.shift();
        continue;
      }
      const r = renderSafely(head.id, raw, route);
      if (!r.ok) {
        queue.shift();
        taken.unrenderable.push({ id: head.id, result: failedTry(r.reason) });
        continue;
      }
      rendered = { route, message: r.message, bytes: Buffer.byteLength(r.message) };
    }
    if (taken.entries.length > 0 && bytes + rendered.bytes > limits.maxBytes) {
      head.rendered = rendered;
      head.stored = null; // the rendered message is all it needs now
      break;
    }
    queue.shift();
    bytes += rendered.bytes;
    taken.entries.push({ id: head.id, message: rendered.message, results: [] });
  }
  return taken;
}

/** A queued delivery with its bytes, on its way to the forwarding thread. */
export interface TakenDelivery {
  id: number;
  raw: StoredRaw;
  queuedAt: number;
}

/**
 * The next batch's deliveries off the head of `queue`, with their bytes: at most maxCount,
 * and bodies up to about maxBytes (a rendered message is larger or smaller than its body:
 * takeBatch on the forwarding thread closes the batch exactly and hands back, in order,
 * what did not fit). A delivery deleted meanwhile is skipped.
 */
export function takeQueued(queue: QueuedDelivery[], deliveries: Pick<DeliveryStore, 'getRaw'>, limits: BatchLimits): TakenDelivery[] {
  const out: TakenDelivery[] = [];
  let bytes = 0;
  while (queue.length > 0 && out.length < limits.maxCount && bytes < limits.maxBytes) {
    const head = queue.shift()!;
    const raw = head.stored ?? deliveries.getRaw(head.id);
    if (!raw) continue;
    out.push({ id: head.id, raw, queuedAt: head.queuedAt });
    bytes += raw.body.length;
  }
  return out;
}

/** A mapping that throws (a bug meeting an odd event) fails its delivery alone, never the batch. */
function renderSafely(id: number, raw: StoredRaw, route: SiemRoute): Rendered {
  try {
    return renderMessage({ id, receivedAt: raw.receivedAt, body: raw.body, bodySha256: raw.bodySha256 }, route.render);
  } catch (err) {
    return { ok: false, reason: `delivery ${id} could not be mapped: ${(err as Error).message}` };
  }
}

/** One delivery's part of a try: its own item when the target answered per message, else the try's outcome. */
export function outcomeOf(r: TransportTry, index: number): { result: OutboundResult; retryable: boolean } {
  const { retryable, items, ...shared } = r;
  const item = items?.[index];
  if (!item) return { result: shared, retryable };
  return {
    result: { ...shared, ok: item.ok, status: item.status ?? r.status, error: item.error, responseBody: item.responseBody ?? r.responseBody },
    retryable: item.retryable,
  };
}

export interface SendBatchOptions {
  timeoutMs: number;
  policy: RetryPolicy;
  signal?: AbortSignal;
  /** After each try, per delivery of it (store and announce its attempt). */
  onResult?: (deliveryId: number, result: OutboundResult) => void;
  /** After each try, once: the deliveries it carried, in order, and its outcome (outcomeOf gives each one's part). */
  onTry?: (ids: readonly number[], r: TransportTry) => void;
}

/** Send the batch, retrying per policy the deliveries whose outcome another try could change. */
export async function sendBatch(route: SiemRoute, entries: readonly BatchEntry[], o: SendBatchOptions): Promise<void> {
  let pending = entries;
  const tries = triesOf(o.policy);
  for (let i = 0; i < tries && pending.length > 0; i++) {
    const r = await route.transport.send(pending.map((e) => e.message), { timeoutMs: o.timeoutMs, ...(o.signal && { signal: o.signal }) });
    const again: BatchEntry[] = [];
    o.onTry?.(pending.map((e) => e.id), r);
    pending.forEach((e, k) => {
      const { result, retryable } = outcomeOf(r, k);
      e.results.push(result);
      o.onResult?.(e.id, result);
      if (!result.ok && retryable) again.push(e);
    });
    pending = again;
    if (pending.length === 0 || i === tries - 1 || o.signal?.aborted) break;
    await sleep(computeRetryDelay(i, r, o.policy), o.signal);
    if (o.signal?.aborted) break;
  }
}
