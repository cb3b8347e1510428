// The bulk replay this page started: its status from 'job' stream messages, with a slow
// poll as a safety net (a stream reconnect can drop a progress message), and stop.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { JobStatus } from '../../server/common/protocol.ts';
import type { BulkReplayRequest } from '../../server/common/contract/client-type.ts';
import type { Api } from '../api.ts';

export interface BulkJob {
  job: JobStatus | null;
  start(req: BulkReplayRequest): Promise<JobStatus>;
  stop(): Promise<void>;
  /** "Retry failed": replay exactly the failed deliveries of the current job, to the same target, signed the same way. */
  retryFailed(): Promise<JobStatus | null>;
  /** Feed a 'job' stream message. */
  receive(job: JobStatus): void;
  dismiss(): void;
}

/** Keeps the newer of two statuses of one job (messages may arrive out of order with polls). */
export function newerJob(a: JobStatus | null, b: JobStatus): JobStatus {
  if (a === null || a.id !== b.id) return b;
  if (a.state !== 'running' && b.state === 'running') return a;
  return b.done >= a.done || b.state !== 'running' ? b : a;
}

export function useBulkJob(api: Api): BulkJob {
  const [job, setJob] = useState<JobStatus | null>(null);
  const jobId = useRef<string | null>(null);
  // The request that started the current job (its token too, in this page's memory only), for "retry failed".
  const lastRequest = useRef<BulkReplayRequest | null>(null);

  const receive = useCallback((next: JobStatus) => {
    if (next.id !== jobId.current) return;
    setJob((prev) => newerJob(prev, next));
  }, []);

  const start = useCallback(
    async (req: BulkReplayRequest) => {
      const started = await api.bulkReplay(req);
      jobId.current = started.id;
      lastRequest.current = req;
      setJob(started);
      return started;
    },
    [api],
  );

  const stop = useCallback(async () => {
    if (jobId.current === null) return;
    receive(await api.stopJob(jobId.current));
  }, [api, receive]);

  const retryFailed = useCallback(async () => {
    const req = lastRequest.current;
    if (req === null || jobId.current === null) return null;
    const { q: _q, limit: _limit, ...rest } = req;
    return start({ ...rest, retryFailedOf: jobId.current });
  }, [start]);

  const running = job?.state === 'running';
  useEffect(() => {
    if (!running || jobId.current === null) return;
    const id = jobId.current;
    const timer = setInterval(() => {
      api.job(id).then(receive, () => undefined);
    }, 2000);
    return () => clearInterval(timer);
  }, [api, running, receive]);

  const dismiss = useCallback(() => {
    if (job?.state === 'running') return;
    jobId.current = null;
    lastRequest.current = null;
    setJob(null);
  }, [job]);

  return { job, start, stop, retryFailed, receive, dismiss };
}
