// Progress of a bulk job (a replay, or test events being sent): a bar, done/total, ok and
// failed, and a stop button.
import type { JobStatus } from '../../server/common/protocol.ts';
import { formatCount } from '../state/format.ts';

interface Props {
  job: JobStatus;
  onStop(): void;
  compact?: boolean;
}

export function jobPercent(job: JobStatus): number {
  return job.total === 0 ? 100 : Math.min(100, Math.round((job.done / job.total) * 100));
}

const RUNNING_TEXT: Record<JobStatus['kind'], string> = { replay: 'Replaying', send: 'Sending' };
const STATE_TEXT: Record<Exclude<JobStatus['state'], 'running'>, string> = { done: 'Finished', stopped: 'Stopped' };
const BAR_LABEL: Record<JobStatus['kind'], string> = { replay: 'Bulk replay progress', send: 'Send progress' };

export function JobProgress({ job, onStop, compact }: Props) {
  const tone = job.failed > 0 ? 'warn' : job.state === 'stopped' ? 'idle' : 'ok';
  return (
    <div class={`job${compact ? ' job--compact' : ''}`} data-testid="job-progress" data-state={job.state} data-done={job.done} data-total={job.total}>
      <div class="job__line">
        <span class="job__state">{job.state === 'running' ? RUNNING_TEXT[job.kind] : STATE_TEXT[job.state]}</span>
        <span class="job__count" data-testid="job-count">
          {formatCount(job.done)} / {formatCount(job.total)}
        </span>
        <span class="job__ok">{formatCount(job.ok)} ok</span>
        <span class={job.failed > 0 ? 'job__failed' : 'job__zero'}>{formatCount(job.failed)} failed</span>
        <span class="spacer" />
        {job.state === 'running' ? (
          <button type="button" class="btn btn--small btn--danger" onClick={onStop}>
            Stop
          </button>
        ) : null}
      </div>
      <div
        class={`progress progress--${tone}`}
        role="progressbar"
        aria-label={BAR_LABEL[job.kind]}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
      >
        <span class="progress__bar" style={{ width: `${jobPercent(job)}%` }} />
      </div>
      {compact ? null : (
        <p class="field__hint">
          To <code>{job.target}</code>
          {job.kind === 'replay' && job.failed > 0 ? ' · failed deliveries are recorded as failed attempts on each delivery' : ''}
        </p>
      )}
    </div>
  );
}
