// Group commit: deliveries that finish arriving in the same turn of the event loop share
// one SQLite transaction; each request is answered only after that transaction commits,
// and the whole group is published to the stream once, after the commit.
import type { DeliverySummary } from '../protocol.ts';
import type { DeliveryStore, NewDelivery } from '../store/deliveries.ts';

export interface Ingest {
  /** Resolves with the stored summary once its row is committed; rejects if the commit failed. */
  submit(record: NewDelivery): Promise<DeliverySummary>;
  /** Commit whatever is queued now (shutdown). */
  flush(): void;
  /** Number of deliveries waiting for their commit. */
  readonly pending: number;
}

interface Waiter {
  record: NewDelivery;
  resolve: (s: DeliverySummary) => void;
  reject: (e: unknown) => void;
}

export function createIngest(store: Pick<DeliveryStore, 'insertBatch'>, publish: (batch: DeliverySummary[]) => void, maxBatch = 512): Ingest {
  let queue: Waiter[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue.splice(0);
      let summaries: DeliverySummary[];
      try {
        summaries = store.insertBatch(batch.map((w) => w.record));
      } catch (err) {
        for (const w of batch) w.reject(err);
        continue;
      }
      batch.forEach((w, i) => w.resolve(summaries[i]!));
      publish(summaries);
    }
  }

  return {
    submit(record) {
      return new Promise((resolve, reject) => {
        queue.push({ record, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // setImmediate runs after the current I/O phase, so every body that completed in
          // this poll shares the transaction; latency added is well under a millisecond.
          setImmediate(flush);
        }
      });
    },
    flush,
    get pending() {
      return queue.length;
    },
  };
}
