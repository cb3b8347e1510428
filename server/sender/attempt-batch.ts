// Forward attempts recorded in batches: the tries of a short window (20 ms) join one
// transaction handed to the writer thread, instead of one synchronous transaction each on
// the main connection (which waits there for the writer's lock while answers wait too), and
// the writer commits a few batches a second between the deliveries' group commits. Each
// attempt is announced once committed, with its id, as a synchronous record would be.
import type { Attempt } from '../common/protocol.ts';
import type { NewAttempt } from '../store/attempts.ts';

/** Commits the attempts in one transaction; per attempt its id, or null when the delivery is gone. */
export type WriteAttempts = (attempts: NewAttempt[]) => Promise<(number | null)[]>;

export interface AttemptBatchDeps {
  write: WriteAttempts;
  /** After the commit, per stored attempt (stream it). */
  onRecorded: (deliveryId: number, attempt: Attempt) => void;
  /** The batch could not be stored (database closed, disk full): said once per failure. */
  onError: (err: Error) => void;
  /** Most attempts in one transaction (default 500); a full batch goes without waiting out the window. */
  maxBatch?: number;
  /** How long the first attempt of a batch waits for company, ms (default 20). */
  windowMs?: number;
}

export type AttemptBatch = ReturnType<typeof createAttemptBatch>;

export function createAttemptBatch(deps: AttemptBatchDeps) {
  const maxBatch = deps.maxBatch ?? 500;
  const windowMs = deps.windowMs ?? 20;
  let queue: NewAttempt[] = [];
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let inFlight = 0;

  function schedule(): void {
    if (writing || queue.length === 0) return;
    if (queue.length >= maxBatch) {
      if (timer) clearTimeout(timer);
      timer = null;
      return writeNext();
    }
    timer ??= setTimeout(writeNext, windowMs);
  }

  function writeNext(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (writing || queue.length === 0) return;
    const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
    if (batch === queue) queue = [];
    inFlight = batch.length;
    writing = deps.write(batch).then(
      (ids) => batch.forEach((a, i) => {
        const id = ids[i];
        if (id === null || id === undefined) return; // the delivery was deleted meanwhile
        const { deliveryId, sent, ...rest } = a;
        try {
          deps.onRecorded(deliveryId, { id, ...rest, sent: sent ?? null });
        } catch (err) {
          deps.onError(err as Error); // a listener's fault; the attempt is stored
        }
      }),
      (err: unknown) => deps.onError(err instanceof Error ? err : new Error(String(err))),
    ).finally(() => {
      // Only now: until the ids are announced, rows past the cursor may be ours (after-commit.ts).
      inFlight = 0;
      writing = null;
      schedule();
    });
  }

  return {
    /** Queue one attempt; it is written with the others of its window. */
    add(attempt: NewAttempt): void {
      queue.push(attempt);
      schedule();
    },
    /** Attempts queued or being committed. */
    get pending(): number {
      return queue.length + inFlight;
    },
    /** Attempts being committed: their rows may be in the database before their ids are announced. */
    get committing(): number {
      return inFlight;
    },
    /** Resolves once everything queued so far is committed (shutdown). */
    async flush(): Promise<void> {
      while (writing || queue.length > 0) {
        if (!writing) writeNext();
        await writing;
      }
    },
  };
}
