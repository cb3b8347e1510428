// Runs `total` tasks with a concurrency limit and an optional rate (starts per second),
// stoppable through an AbortSignal: the sender's bulk loop for send, replay and jobs.

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface PoolOptions {
  /** Tasks in flight at once (at least 1). */
  concurrency: number;
  /** Task starts per second; null or undefined: as fast as the concurrency allows. */
  ratePerSec?: number | null;
  /** Stop starting new tasks; tasks already running finish. */
  signal?: AbortSignal;
}

export interface PoolOutcome {
  started: number;
  stopped: boolean;
}

/**
 * Tasks are started in index order. A task that throws is a programmer error: no new
 * tasks start, the running ones finish, then the error is rethrown. Failures that are
 * data (a target down) must be results of the worker, not exceptions.
 */
export async function runPool(total: number, worker: (index: number) => Promise<void>, options: PoolOptions): Promise<PoolOutcome> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const interval = options.ratePerSec ? 1000 / options.ratePerSec : 0;
  const { signal } = options;
  let next = 0;
  let started = 0;
  let slot = performance.now();
  let failure: { error: unknown } | null = null;

  async function lane(): Promise<void> {
    while (!signal?.aborted && failure === null) {
      const index = next++;
      if (index >= total) return;
      if (interval > 0) {
        // Slots are handed out in order, so the rate holds across lanes.
        const now = performance.now();
        const at = Math.max(slot, now);
        slot = at + interval;
        await sleep(at - now, signal);
        if (signal?.aborted || failure !== null) return;
      }
      started++;
      try {
        await worker(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(total, 0)) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return { started, stopped: started < total };
}
