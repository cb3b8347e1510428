// The bulk replay's progress as a strip under the list toolbar, so it stays visible with
// its dialog closed: a click reopens the dialog, × dismisses a finished one.
import type { JobStatus } from '../../server/common/protocol.ts';
import { formatCount } from '../state/format.ts';
import { jobPercent } from './job-progress.tsx';

interface Props {
  job: JobStatus;
  onOpen(): void;
  onDismiss(): void;
}

export function JobChip({ job, onOpen, onDismiss }: Props) {
  const label = job.state === 'running' ? 'Replaying' : job.state === 'done' ? 'Replayed' : 'Stopped';
  return (
    <div class={`job-chip job-chip--${job.state}${job.failed > 0 ? ' job-chip--failed' : ''}`} data-testid="job-chip">
      <span class="job-chip__bar" style={{ width: `${jobPercent(job)}%` }} aria-hidden="true" />
      <button type="button" class="job-chip__text" onClick={onOpen} title="Show the bulk replay">
        {label} {formatCount(job.done)}/{formatCount(job.total)}
        {job.failed ? <span class="job-chip__failed"> · {formatCount(job.failed)} failed</span> : null}
        <span class="job-chip__target"> to {job.target}</span>
      </button>
      {job.state === 'running' ? null : (
        <button type="button" class="icon-btn job-chip__close" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
