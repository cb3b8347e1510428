// Bulk jobs started from the API (replay of a filter, a batch of test events): an in-memory
// registry with progress, stop, and throttled progress messages for the stream. Finished
// jobs are kept for a while so a UI that reconnects can still read the outcome.
import { setMaxListeners } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { JobStatus } from '../common/protocol.ts';

export interface JobControl {
  readonly signal: AbortSignal;
  /** One item finished; a failed item's id is kept for "retry failed". */
  progress(ok: boolean, itemId?: number): void;
}

export interface JobsDeps {
  publish: (job: JobStatus) => void;
  /** Finished jobs kept (default 50). */
  keep?: number;
  /** Least time between two progress messages of one job (default 200 ms). */
  throttleMs?: number;
  /** A job's runner threw (a bug: items record their own failures); the job still ends. */
  onError?: (err: Error) => void;
}

interface Job {
  status: JobStatus;
  /** Ids of the items that failed, in the order they ended. */
  failedIds: number[];
  controller: AbortController;
  timer: NodeJS.Timeout | null;
  lastPublished: number;
  done: Promise<void>;
}

export type Jobs = ReturnType<typeof createJobs>;

const JOB_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A job id a client may choose (SendRequest.jobId): 8-64 characters of [A-Za-z0-9_-]. */
export function isValidJobId(id: string): boolean {
  return JOB_ID.test(id);
}

export function createJobs(deps: JobsDeps) {
  const jobs = new Map<string, Job>();
  const keep = deps.keep ?? 50;
  const throttleMs = deps.throttleMs ?? 200;

  function publishNow(job: Job): void {
    if (job.timer) clearTimeout(job.timer);
    job.timer = null;
    job.lastPublished = performance.now();
    deps.publish({ ...job.status });
  }

  function publishSoon(job: Job): void {
    if (job.timer) return;
    const wait = Math.max(0, throttleMs - (performance.now() - job.lastPublished));
    job.timer = setTimeout(() => publishNow(job), wait);
  }

  function prune(): void {
    const finished = [...jobs.values()].filter((j) => j.status.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - keep))) jobs.delete(j.status.id);
  }

  function newId(): string {
    for (;;) {
      const id = randomBytes(6).toString('hex');
      if (!jobs.has(id)) return id;
    }
  }

  /**
   * Start `run` as a job of `total` items; returns its status at once. `requestedId` (a
   * client's, so it can follow the progress before the answer) is used when valid and not
   * held by any kept job, running or finished; otherwise the job gets a generated id.
   */
  function start(kind: JobStatus['kind'], total: number, target: string, run: (ctl: JobControl) => Promise<void>, requestedId?: string): JobStatus {
    const id = requestedId !== undefined && isValidJobId(requestedId) && !jobs.has(requestedId) ? requestedId : newId();
    const controller = new AbortController();
    // One signal is shared by every request of a run (a burst passes hundreds).
    setMaxListeners(0, controller.signal);
    const job: Job = {
      status: { id, kind, state: 'running', total, done: 0, ok: 0, failed: 0, target, startedAt: new Date().toISOString(), finishedAt: null },
      failedIds: [], controller, timer: null, lastPublished: 0, done: Promise.resolve(),
    };
    jobs.set(id, job);
    const ctl: JobControl = {
      signal: controller.signal,
      progress(ok, itemId) {
        job.status.done++;
        if (ok) job.status.ok++;
        else {
          job.status.failed++;
          if (itemId !== undefined) job.failedIds.push(itemId);
        }
        publishSoon(job);
      },
    };
    publishNow(job);
    job.done = run(ctl)
      .catch((err: Error) => deps.onError?.(err))
      .finally(() => {
        job.status.state = controller.signal.aborted && job.status.done < total ? 'stopped' : 'done';
        job.status.finishedAt = new Date().toISOString();
        publishNow(job);
        prune();
      });
    return { ...job.status };
  }

  function get(id: string): JobStatus | undefined {
    const job = jobs.get(id);
    return job && { ...job.status };
  }

  /** Resolves with a job's final status once it has ended (at once for a finished one). */
  async function wait(id: string): Promise<JobStatus | undefined> {
    const job = jobs.get(id);
    if (!job) return undefined;
    await job.done;
    return { ...job.status };
  }

  /** Ask a running job to stop; resolves with its final status. */
  async function stop(id: string): Promise<JobStatus | undefined> {
    const job = jobs.get(id);
    if (!job) return undefined;
    job.controller.abort();
    await job.done;
    return { ...job.status };
  }

  /** Ids of the failed items of a kept job, oldest first; undefined for an unknown job. */
  function failedOf(id: string): number[] | undefined {
    const job = jobs.get(id);
    return job && [...job.failedIds].sort((a, b) => a - b);
  }

  function list(): JobStatus[] {
    return [...jobs.values()].map((j) => ({ ...j.status })).reverse();
  }

  async function close(): Promise<void> {
    for (const job of jobs.values()) job.controller.abort();
    await Promise.allSettled([...jobs.values()].map((j) => j.done));
    for (const job of jobs.values()) if (job.timer) clearTimeout(job.timer);
  }

  return { start, get, wait, stop, list, failedOf, close };
}
