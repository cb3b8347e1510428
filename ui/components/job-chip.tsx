// The bulk replay's progress in the list toolbar, so it stays visible with its dialog
// closed; a click reopens the dialog.
import type { JobStatus } from '../../server/protocol.ts';
import { formatCount } from '../state/format.ts';
import { jobPercent } from './job-progress.tsx';

export function JobChip({ job, onOpen }: { job: JobStatus; onOpen(): void }) {
  const label = job.state === 'running' ? 'Replaying' : job.state === 'done' ? 'Replayed' : 'Stopped';
  return (
    <button type="button" class={`job-chip job-chip--${job.state}${job.failed > 0 ? ' job-chip--failed' : ''}`} onClick={onOpen} title={`Bulk replay to ${job.target}`} data-testid="job-chip">
      <span class="job-chip__bar" style={{ width: `${jobPercent(job)}%` }} aria-hidden="true" />
      <span class="job-chip__text">
        {label} {formatCount(job.done)}/{formatCount(job.total)}
        {job.failed ? <span class="job-chip__failed"> · {formatCount(job.failed)} failed</span> : null}
      </span>
    </button>
  );
}
