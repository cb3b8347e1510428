// The test-event send this page runs from the Send panel: its progress from 'job' stream
// messages of kind 'send' under the id the panel chose before asking, and stop. The
// answer to POST /api/send, not this, says when the send is over.
import { useCallback, useRef, useState } from 'preact/hooks';
import type { JobStatus } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { newerJob } from './use-bulk-job.ts';

export interface SendJob {
  /** The followed job's latest status; null until its first message. */
  job: JobStatus | null;
  /** Follow the job with this id (null: none); forgets the previous one. */
  watch(id: string | null): void;
  /** Feed a 'job' stream message (any job: only the followed send is kept). */
  receive(job: JobStatus): void;
  stop(): Promise<void>;
}

export function useSendJob(api: Api): SendJob {
  const [job, setJob] = useState<JobStatus | null>(null);
  const jobId = useRef<string | null>(null);

  const watch = useCallback((id: string | null) => {
    jobId.current = id;
    setJob(null);
  }, []);

  const receive = useCallback((next: JobStatus) => {
    if (next.kind !== 'send' || next.id !== jobId.current) return;
    setJob((prev) => newerJob(prev, next));
  }, []);

  const stop = useCallback(async () => {
    if (jobId.current === null) return;
    receive(await api.stopJob(jobId.current));
  }, [api, receive]);

  return { job, watch, receive, stop };
}
