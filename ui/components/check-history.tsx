// Previous conformance check runs, newest first; one click opens a run's scorecard.
import type { CheckRunSummary } from '../../server/common/protocol.ts';
import { formatAgo, formatFullTime } from '../state/format.ts';
import { CheckStateBadge } from './check-state-badge.tsx';

interface Props {
  runs: CheckRunSummary[] | null;
  selectedId: number | null;
  onSelect(id: number): void;
  onNew(): void;
  creating: boolean;
}

export function CheckHistory({ runs, selectedId, onSelect, onNew, creating }: Props) {
  return (
    <nav class="history" aria-label="Check runs">
      <button type="button" class={`history__new${creating ? ' history__item--active' : ''}`} onClick={onNew}>
        + New check
      </button>
      <p class="history__title">History</p>
      {runs === null ? (
        <p class="muted small history__empty">Loading…</p>
      ) : runs.length === 0 ? (
        <p class="muted small history__empty">No runs yet.</p>
      ) : (
        <ul class="history__list" data-testid="check-history">
          {runs.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                class={`history__item${r.id === selectedId ? ' history__item--active' : ''}`}
                aria-current={r.id === selectedId ? 'true' : undefined}
                data-run-id={r.id}
                onClick={() => onSelect(r.id)}
              >
                <span class="history__line">
                  <CheckStateBadge state={r.state} />
                  <span class="history__when" title={formatFullTime(r.startedAt)}>{formatAgo(r.startedAt)}</span>
                  {r.source === 'cli' ? <span class="badge badge--source" title="Run from a terminal with check --db">CLI</span> : null}
                  <span class="history__id">#{r.id}</span>
                </span>
                <span class="history__url">{r.url}</span>
                <span class="history__counts">
                  {r.counts.passed} passed · {r.counts.failed} failed{r.counts.info ? ` · ${r.counts.info} info` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
