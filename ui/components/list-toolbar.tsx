// The bar above the list: how many deliveries match, the bulk replay's progress, and the
// actions over everything that matches (replay, delete) or over everything (clear).
import type { JobStatus } from '../../server/common/protocol.ts';
import { countOf, formatCount } from '../state/format.ts';
import { JobChip } from './job-chip.tsx';
import { ExportMenu, type ExportFormatName } from './export-menu.tsx';

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
  /** Opens the filters drawer (shown only in narrow windows, where facets are a drawer). */
  onFilters(): void;
  /** Link that downloads what matches q in a format (GET /api/export). */
  exportUrl?(format: ExportFormatName, q: string): string;
}

export function ListToolbar(props: Props) {
  const { q, total } = props;
  return (
    <>
    <div class="toolbar">
      <button type="button" class="btn btn--small drawer-toggle" onClick={props.onFilters} aria-label="Show filters" data-testid="filters-button">
        Filters
      </button>
      <span class="toolbar__count" data-testid="match-count">
        {total === undefined ? `… ${q ? 'matching' : 'deliveries'}` : q ? `${formatCount(total)} matching` : countOf(total, 'delivery', 'deliveries')}
        {props.loading ? <span class="spinner" aria-label="loading" /> : null}
      </span>
      <span class="spacer" />
      {props.exportUrl ? <ExportMenu q={q} disabled={!total} exportUrl={props.exportUrl} /> : null}
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
