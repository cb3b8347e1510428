// The bar above the list: how many deliveries match, the bulk replay's progress, and the
// actions over everything that matches (replay, delete) or over everything (clear).
import type { JobStatus } from '../../server/shared/protocol.ts';
import { formatCount } from '../state/format.ts';
import { JobChip } from './job-chip.tsx';

interface Props {
  q: string;
  total: number | undefined;
  stored: number | undefined;
  loading: boolean;
  job: JobStatus | null;
  onOpenJob(): void;
  onDismissJob(): void;
  onBulkReplay(): void;
  onDeleteMatching(): void;
  onClearAll(): void;
}

export function ListToolbar(props: Props) {
  const { q, total } = props;
  return (
    <>
    <div class="toolbar">
      <span class="toolbar__count" data-testid="match-count">
        {total !== undefined ? formatCount(total) : '…'} {q ? 'matching' : 'deliveries'}
        {props.loading ? <span class="spinner" aria-label="loading" /> : null}
      </span>
      <span class="spacer" />
      <button type="button" class="btn btn--small" disabled={!total} onClick={props.onBulkReplay} title="Replay every delivery the filter matches">
        {q ? 'Replay matching…' : 'Replay all…'}
      </button>
      {q ? (
        <button type="button" class="btn btn--small btn--danger" disabled={!total} onClick={props.onDeleteMatching}>
          Delete matching
        </button>
      ) : null}
      <button type="button" class="btn btn--small btn--danger" disabled={!props.stored} onClick={props.onClearAll}>
        Clear all
      </button>
    </div>
    {props.job ? <JobChip job={props.job} onOpen={props.onOpenJob} onDismiss={props.onDismissJob} /> : null}
    </>
  );
}
