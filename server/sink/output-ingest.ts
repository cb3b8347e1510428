// Group commit for SIEM outputs, as receiver/ingest.ts does for deliveries: what arrives
// while one group commits on the writer thread forms the next group; every request is
// answered only after the group holding all of its items committed, and the stream gets
// each group once, after that commit.
import type { OutputSummary } from '../shared/protocol.ts';
import type { NewOutput } from '../store/outputs.ts';

export interface OutputIngest {
  /** Resolves with the stored outputs once all of them are committed (in one transaction). */
  submit(items: NewOutput[]): Promise<OutputSummary[]>;
  /** Resolves once everything submitted so far is committed. */
  flush(): Promise<void>;
  readonly pending: number;
}

interface Waiter {
  items: NewOutput[];
  resolve: (s: OutputSummary[]) => void;
  reject: (e: unknown) => void;
}

/** Items in one transaction at most; a request larger than this is still one group alone. */
const MAX_GROUP = 4096;

export function createOutputIngest(
  writer: { insertOutputs(items: NewOutput[]): Promise<OutputSummary[]> },
  publish: (outputs: OutputSummary[]) => void,
): OutputIngest {
  let queue: Waiter[] = [];
  let inFlight = 0;
  let scheduled = false;
  const idle: (() => void)[] = [];

  function commitNext(): void {
    scheduled = false;
    if (inFlight > 0) return;
    if (queue.length === 0) {
      for (const done of idle.splice(0)) done();
      return;
    }
    // Whole requests only: one request's items never span two transactions.
    let take = 0;
    let count = 0;
    while (take < queue.length && (take === 0 || count + queue[take]!.items.length <= MAX_GROUP)) count += queue[take++]!.items.length;
    const group = queue.slice(0, take);
    queue = queue.slice(take);
    inFlight = count;
    writer.insertOutputs(group.flatMap((w) => w.items)).then((stored) => {
      inFlight = 0;
      let at = 0;
      for (const w of group) {
        w.resolve(stored.slice(at, at + w.items.length));
        at += w.items.length;
      }
      publish(stored);
      commitNext();
    }, (err: unknown) => {
      inFlight = 0;
      for (const w of group) w.reject(err);
      commitNext();
    });
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ items, resolve, reject });
        if (inFlight === 0 && !scheduled) {
          scheduled = true;
          // After this I/O phase: every request that completed in it joins the group.
          setImmediate(commitNext);
        }
      });
    },
    flush() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    get pending() {
      return inFlight + queue.reduce((n, w) => n + w.items.length, 0);
    },
  };
}
