// Live forwarding's thread, seen from the main thread (its body: forward-thread.ts). The
// forwarder keeps its queues, health and attempts here; a SIEM target's route lives on the
// thread, and a batch crosses as its stored bytes packed in one transferred buffer, then
// comes back as one message per try, which outcomeOf spreads over its deliveries. The thread
// starts with the first route and starts again after a failure (its routes reopened); a
// batch in flight when it fails gets a failed try for each delivery with no outcome yet.
import type { OutboundResult } from './http.ts';
import type { RetryPolicy } from './deliver.ts';
import { outcomeOf } from './forward-batch.ts';
import type { ForwardThreadReply, ForwardThreadRequest, PackedDeliveries } from './forward-thread-wire.ts';
import type { StoredRaw } from './replay.ts';
import type { SiemCredentials } from './transports/index.ts';
import { failedTry } from './transports/types.ts';
import { startThread, type Thread } from '../store/thread.ts';
import type { PayloadFormat } from '../siem/index.ts';

/** What the thread made of a batch: what it sends, what had no form, what did not fit (back to the queue). */
export interface TakenOnThread {
  sent: number[];
  unrenderable: { id: number; reason: string }[];
  leftover: number[];
}

export interface BatchOnThread {
  /** Rendered: the queue may move on. */
  taken: Promise<TakenOnThread>;
  /** Every try made: each sent delivery's outcomes, in order. */
  done: Promise<Map<number, OutboundResult[]>>;
}

export interface BatchOptions {
  timeoutMs: number;
  policy: RetryPolicy;
  /** Per delivery, after each try (store and announce its attempt). */
  onResult: (deliveryId: number, result: OutboundResult) => void;
}

interface Pending {
  ids: number[];
  onResult: BatchOptions['onResult'];
  results: Map<number, OutboundResult[]>;
  taken: ((t: TakenOnThread) => void) | null;
  done: (results: Map<number, OutboundResult[]>) => void;
}

export type ForwardThread = ReturnType<typeof createForwardThread>;

/** Pack the bytes of a batch into one buffer the thread takes over (no copy on the way). */
export function packDeliveries(items: readonly { id: number; raw: StoredRaw }[]): PackedDeliveries {
  let total = 0;
  for (const { raw } of items) total += raw.body.length;
  const bodies = Buffer.allocUnsafeSlow(total);
  let at = 0;
  const lengths = items.map(({ raw }) => {
    raw.body.copy(bodies, at);
    at += raw.body.length;
    return raw.body.length;
  });
  return {
    ids: items.map((i) => i.id), receivedAt: items.map((i) => i.raw.receivedAt), bodySha256: items.map((i) => i.raw.bodySha256), lengths,
    bodies: bodies.buffer as ArrayBuffer,
  };
}

export function createForwardThread(log: (line: string) => void) {
  const opened = new Map<number, Extract<ForwardThreadRequest, { type: 'open' }>>();
  const pending = new Map<number, Pending>();
  let starting: Promise<Thread> | null = null;
  let nextRoute = 0;
  let nextBatch = 0;

  function onReply(m: ForwardThreadReply): void {
    const p = pending.get(m.batch);
    if (!p) return;
    if (m.type === 'taken') {
      p.taken?.({ sent: m.sent, unrenderable: m.unrenderable, leftover: m.leftover });
      p.taken = null;
    } else if (m.type === 'try') {
      m.ids.forEach((id, k) => {
        const { result } = outcomeOf(m.result, k);
        const list = p.results.get(id);
        if (list) list.push(result);
        else p.results.set(id, [result]);
        p.onResult(id, result);
      });
    } else {
      if (m.error !== undefined) log(`forwarding thread: ${m.error}`);
      end(m.batch, p, m.error);
    }
  }

  /** A batch ends; without a `taken` yet (a failure) its deliveries count as sent, and any without an outcome fails with `error`. */
  function end(batch: number, p: Pending, error?: string): void {
    pending.delete(batch);
    if (p.taken) {
      p.taken({ sent: p.ids, unrenderable: [], leftover: [] });
      p.taken = null;
    }
    if (error !== undefined) {
      for (const id of p.ids) {
        if (p.results.has(id)) continue;
        const result = failedTry(error);
        p.results.set(id, [result]);
        p.onResult(id, result);
      }
    }
    p.done(p.results);
  }

  function onFailure(err: Error): void {
    starting = null; // the next batch starts a new thread
    for (const [batch, p] of [...pending]) end(batch, p, `forwarding thread stopped: ${err.message}`);
  }

  function thread(): Promise<Thread> {
    if (!starting) {
      const started = startThread<ForwardThreadReply>('forward', null, onReply, onFailure, import.meta.url);
      starting = started.then((t) => {
        for (const o of opened.values()) t.post(o);
        return t;
      });
      starting.catch(() => {
        starting = null;
      });
    }
    return starting;
  }

  function post(m: ForwardThreadRequest, transfer?: ArrayBuffer[]): Promise<void> {
    return thread().then((t) => t.post(m, transfer));
  }

  return {
    /** Open a route on the thread (checked already: planSiemRoute); its key. */
    open(url: string, format: PayloadFormat | undefined, credentials: SiemCredentials): number {
      const route = ++nextRoute;
      const m = { type: 'open' as const, route, url, format, credentials };
      opened.set(route, m);
      if (starting) void post(m).catch(() => {}); // a thread started later reopens it
      return route;
    },
    closeRoute(route: number): void {
      if (!opened.delete(route) || !starting) return;
      void post({ type: 'close-route', route }).catch(() => {});
    },
    /** Render and send these deliveries (in queue order) as one batch of `route`. */
    send(route: number, items: readonly { id: number; raw: StoredRaw }[], o: BatchOptions): BatchOnThread {
      const batch = ++nextBatch;
      let taken!: (t: TakenOnThread) => void;
      let done!: (r: Map<number, OutboundResult[]>) => void;
      const p: BatchOnThread = { taken: new Promise((r) => (taken = r)), done: new Promise((r) => (done = r)) };
      const entry: Pending = { ids: items.map((i) => i.id), onResult: o.onResult, results: new Map(), taken, done };
      pending.set(batch, entry);
      const deliveries = packDeliveries(items);
      post({ type: 'batch', batch, route, deliveries, timeoutMs: o.timeoutMs, policy: o.policy }, [deliveries.bodies]).catch((err: Error) => {
        if (pending.has(batch)) end(batch, entry, `forwarding thread did not start: ${err.message}`);
      });
      return p;
    },
    /** Abort every try in flight (shutdown). */
    abort(): void {
      if (starting) void post({ type: 'abort' }).catch(() => {});
    },
    /** Close the thread and its connections; batches still in flight end with a failed try. */
    async close(): Promise<void> {
      const t = await starting?.catch(() => null);
      starting = null;
      for (const [batch, p] of [...pending]) end(batch, p, 'aborted');
      await t?.close();
    },
  };
}
