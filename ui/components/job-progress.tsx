// Progress of a bulk replay: a bar, done/total, ok and failed, and a stop button.
import type { JobStatus } from '../../server/protocol.ts';
import { formatCount } from '../state/format.ts';

interface Props {
  job: JobStatus;
  onStop(): void;
  compact?: boolean;
}

export function jobPercent(job: JobStatus): number {
  return job.total === 0 ? 100 : Math.min(100, Math.round((job.done / job.total) * 100));
}

const STATE_TEXT: Record<JobStatus['state'], string> = { running: 'Replaying', done: 'Finished', stopped: 'Stopped' };

export function JobProgress({ job, onStop, compact }: Props) {
  const tone = job.failed > 0 ? 'warn' : job.state === 'stopped' ? 'idle' : 'ok';
  return (
    <div class={`job${compact ? ' job--compact' : ''}`} data-testid="job-progress" data-state={job.state} data-done={job.done} data-total={job.total}>
      <div class="job__line">
        <span class="job__state">{STATE_TEXT[job.state]}</span>
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
        aria-label="Bulk replay progress"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
      >
        <span class="progress__bar" style={{ width: `${jobPercent(job)}%` }} />
      </div>
      {compact ? null : (
        <p class="field__hint">
          To <code>{job.target}</code>
          {job.failed > 0 ? ' · failed deliveries are recorded as failed attempts on each delivery' : ''}
        </p>
      )}
    </div>
  );
}
