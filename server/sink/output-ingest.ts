// Group commit for SIEM outputs, as receiver/ingest.ts does for deliveries: what arrives
// while a group commits on the writer thread forms the next group; every request is
// answered only after the group holding all of its items committed, and the stream gets
// each group once, after that commit. Two groups may be in flight: the writer thread takes
// them in order, so it starts the next one as soon as it committed the first, instead of
// idling while the event loop hears back and sends the next (sinks' requests are large,
// e.g. 1,000-document _bulk bodies, so groups stay large without waiting).
import type { NewOutput } from '../store/outputs.ts';
import type { StoredOutputs } from '../store/output-wire.ts';

export interface OutputIngest {
  /** Resolves once all of the items are committed (in one transaction). */
  submit(items: NewOutput[]): Promise<void>;
  /** Resolves once everything submitted so far is committed. */
  flush(): Promise<void>;
  readonly pending: number;
}

interface Waiter {
  items: NewOutput[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Items in one transaction at most; a request larger than this is still one group alone. */
const MAX_GROUP = 4096;
/** Groups sent to the writer thread and not yet committed, at most. */
const MAX_IN_FLIGHT = 2;

export function createOutputIngest(
  writer: { insertOutputs(items: NewOutput[]): Promise<StoredOutputs> },
  publish: (stored: StoredOutputs) => void,
): OutputIngest {
  let queue: Waiter[] = [];
  let inFlight = 0;
  let groupsInFlight = 0;
  let scheduled = false;
  const idle: (() => void)[] = [];

  function commitNext(): void {
    scheduled = false;
    if (groupsInFlight >= MAX_IN_FLIGHT) return;
    if (queue.length === 0) {
      if (groupsInFlight === 0) for (const done of idle.splice(0)) done();
      return;
    }
    // Whole requests only: one request's items never span two transactions.
    let take = 0;
    let count = 0;
    while (take < queue.length && (take === 0 || count + queue[take]!.items.length <= MAX_GROUP)) count += queue[take++]!.items.length;
    const group = queue.slice(0, take);
    queue = queue.slice(take);
    inFlight += count;
    groupsInFlight++;
    const settle = () => {
      inFlight -= count;
      groupsInFlight--;
    };
    writer.insertOutputs(group.flatMap((w) => w.items)).then((stored) => {
      settle();
      for (const w of group) w.resolve();
      publish(stored);
      commitNext();
    }, (err: unknown) => {
      settle();
      for (const w of group) w.reject(err);
      commitNext();
    });
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        queue.push({ items, resolve, reject });
        if (groupsInFlight < MAX_IN_FLIGHT && !scheduled) {
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
