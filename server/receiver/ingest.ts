// Group commit: deliveries waiting for storage share one SQLite transaction; each request
// is answered only after that transaction commits, and the whole group is published to the
// stream once, after the commit. One group is in flight at a time, so ids are committed,
// answered and published in order; whatever arrives meanwhile forms the next group. When
// the writer is idle, a group waits up to `windowMs` for company (or until `fullGroup`):
// a commit has a fixed cost (index pages, the FTS segment, the WAL frames, a thread hop)
// that a group of one pays alone.
import type { DeliverySummary } from '../common/protocol.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';

export interface Ingest {
  /** Resolves with the stored summary once its row is committed; rejects if the commit failed. */
  submit(record: NewDelivery): Promise<DeliverySummary>;
  /** Resolves once everything submitted so far is committed (shutdown). */
  flush(): Promise<void>;
  /** Number of deliveries waiting for their commit (queued or in flight). */
  readonly pending: number;
  /** Group commits so far and the deliveries they held (rows per commit shows how well grouping works). */
  readonly commits: { groups: number; deliveries: number };
}

/** Commits a group in one transaction: the store itself, or the writer thread in front of it. */
export interface BatchWriter {
  insertBatch(records: NewDelivery[]): DeliverySummary[] | Promise<DeliverySummary[]>;
}

interface Waiter {
  record: NewDelivery;
  resolve: (s: DeliverySummary) => void;
  reject: (e: unknown) => void;
}

export interface IngestOptions {
  /** Most deliveries in one transaction (default 512). */
  maxBatch?: number;
  /** Longest a delivery waits for others when the writer is idle, ms (default 2; 0: none). */
  windowMs?: number;
  /** A group this big is committed without waiting out the window (default 32). */
  fullGroup?: number;
}

/** After a commit: the stored summaries and, in the same order, the records they came from (bodies still in memory). */
export type PublishCommitted = (batch: DeliverySummary[], records: readonly NewDelivery[]) => void;

export function createIngest(writer: BatchWriter, publish: PublishCommitted, options: IngestOptions = {}): Ingest {
  const { maxBatch = 512, windowMs = 2, fullGroup = 32 } = options;
  let queue: Waiter[] = [];
  let scheduled = false;
  let window: NodeJS.Timeout | null = null;
  let inFlight = 0;
  let idle: (() => void)[] = [];
  const commits = { groups: 0, deliveries: 0 };

  function commitNext(): void {
    scheduled = false;
    if (window) {
      clearTimeout(window);
      window = null;
    }
    if (inFlight > 0 || queue.length === 0) {
      if (inFlight === 0) for (const done of idle.splice(0)) done();
      return;
    }
    const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
    if (batch === queue) queue = [];
    inFlight = batch.length;
    let result: DeliverySummary[] | Promise<DeliverySummary[]>;
    try {
      result = writer.insertBatch(batch.map((w) => w.record));
    } catch (err) {
      settle(batch, null, err);
      return;
    }
    if (Array.isArray(result)) settle(batch, result, null);
    else result.then((s) => settle(batch, s, null), (err: unknown) => settle(batch, null, err));
  }

  function settle(batch: Waiter[], summaries: DeliverySummary[] | null, err: unknown): void {
    inFlight = 0;
    if (summaries) {
      commits.groups++;
      commits.deliveries += batch.length;
      for (let i = 0; i < batch.length; i++) batch[i]!.resolve(summaries[i]!);
      // Before the answers go out (they wait for the microtask queue), the stream gets the group.
      publish(summaries, batch.map((w) => w.record));
    } else {
      for (const w of batch) w.reject(err);
    }
    commitNext();
  }

  return {
    submit(record) {
      return new Promise((resolve, reject) => {
        queue.push({ record, resolve, reject });
        if (inFlight > 0) return; // the next group gathers while this one commits
        if (queue.length >= fullGroup) {
          if (!scheduled) {
            scheduled = true;
            // After the current I/O phase: every body that completed in this poll joins.
            setImmediate(commitNext);
          }
        } else if (!window && !scheduled) {
          window = windowMs > 0 ? setTimeout(commitNext, windowMs) : null;
          if (!window) {
            scheduled = true;
            setImmediate(commitNext);
          }
        }
      });
    },
    flush() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idle.push(resolve);
        if (inFlight === 0) commitNext();
      });
    },
    get pending() {
      return queue.length + inFlight;
    },
    get commits() {
      return { ...commits };
    },
  };
}
