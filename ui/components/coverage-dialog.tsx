// "Coverage": the 29 documented event types (and unknown ones seen) by category, with what
// was received, sent, replayed, forwarded, checked and seen by a SIEM sink. Every count
// links to the list filtered by the search the server gave for that cell.
import { useEffect, useState } from 'preact/hooks';
import type { Coverage, CoverageCell, CoverageRow } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { formatCount } from '../state/format.ts';
import { Modal } from './modal.tsx';
import { PayloadText } from './payload-text.tsx';
import { markBidi } from '../state/bidi.ts';

interface Props {
  api: Api;
  onFilter(q: string): void;
  onClose(): void;
}

function Cell({ cell, label, onFilter, tone }: { cell: CoverageCell; label: string; onFilter(q: string): void; tone?: 'ok' | 'fail' }) {
  const cls = `cov__n${cell.count === 0 ? ' cov__n--zero' : tone ? ` cov__n--${tone}` : ''}`;
  return (
    <td class="cov__cell">
      <a
        class={cls}
        href={`?q=${encodeURIComponent(cell.query)}`}
        title={markBidi(`${label}: ${cell.query}`)}
        data-q={cell.query}
        onClick={(e) => {
          e.preventDefault();
          onFilter(cell.query);
        }}
      >
        {formatCount(cell.count)}
      </a>
    </td>
  );
}

function CheckCell({ check }: { check: CoverageRow['check'] }) {
  if (check === null) return <td class="cov__cell muted">–</td>;
  return (
    <td class="cov__cell">
      <span class={`badge badge--outcome-${check.outcome}`} title={check.got}>
        {check.outcome}
      </span>
    </td>
  );
}

export function CoverageDialog({ api, onFilter, onClose }: Props) {
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api.coverage(ctrl.signal).then(setCoverage, (err: unknown) => {
      if (!ctrl.signal.aborted) setError(err instanceof Error ? err.message : String(err));
    });
    return () => ctrl.abort();
  }, [api]);

  const c = coverage;
  const columns = c ? 4 + c.targets.length * 4 + 1 + c.sinks.length : 0;
  return (
    <Modal title="Coverage" size="xl" onClose={onClose} testId="coverage-dialog">
      <p class="muted">
        Each event type: received in total, from a real sender (user agent ok, signature valid or unchecked), sent by the built-in
        sender, replayed and forwarded per target (attempts ok / failed), the latest check run, and SIEM outputs. Click a count to
        list those deliveries.
        {c?.lastCheck ? ` Last check: #${c.lastCheck.id} against ${c.lastCheck.url} (${c.lastCheck.state}).` : ''}
      </p>
      {error ? <p class="notice notice--error">{error}</p> : null}
      {c === null ? (
        error ? null : <p class="muted">Loading…</p>
      ) : (
        <div class="cov__scroll">
          <table class="compare__table cov" data-testid="coverage-table">
            <thead>
              <tr>
                <th rowSpan={2}>event type</th>
                <th rowSpan={2}>received</th>
                <th rowSpan={2}>real sender</th>
                <th rowSpan={2}>built-in sender</th>
                {c.targets.map((t) => (
                  <th colSpan={4} key={t} class="cov__target" title={markBidi(t)}><PayloadText text={t} /></th>
                ))}
                <th rowSpan={2}>check</th>
                <th colSpan={1 + c.sinks.length}>SIEM</th>
              </tr>
              <tr>
                {c.targets.map((t) => [
                  <th key={`${t}-ro`}>replay ok</th>,
                  <th key={`${t}-rf`}>replay failed</th>,
                  <th key={`${t}-fo`}>forward ok</th>,
                  <th key={`${t}-ff`}>forward failed</th>,
                ])}
                <th>any sink</th>
                {c.sinks.map((s) => <th key={s}>{s}</th>)}
              </tr>
            </thead>
            {c.categories.map((cat) => (
              <tbody key={cat.facet}>
                <tr class="cov__category">
                  <th colSpan={columns} scope="colgroup"><PayloadText text={cat.label} /></th>
                </tr>
                {cat.rows.map((row) => (
                  <tr key={row.eventType} data-event-type={row.eventType} class={row.received.count === 0 ? 'cov__row--none' : ''}>
                    <th scope="row" class="cov__type">
                      <code><PayloadText text={row.eventType} /></code>
                      {row.known ? null : <span class="badge badge--lint" title="not one of the 29 documented types">unknown</span>}
                    </th>
                    <Cell cell={row.received} label="received" onFilter={onFilter} />
                    <Cell cell={row.real} label="from a real sender" onFilter={onFilter} />
                    <Cell cell={row.sent} label="sent by the built-in sender" onFilter={onFilter} />
                    {row.targets.map((t) => [
                      <Cell key={`${t.target}-ro`} cell={t.replay.ok} label={`replayed to ${t.target}, ok`} tone="ok" onFilter={onFilter} />,
                      <Cell key={`${t.target}-rf`} cell={t.replay.failed} label={`replayed to ${t.target}, failed`} tone="fail" onFilter={onFilter} />,
                      <Cell key={`${t.target}-fo`} cell={t.forward.ok} label={`forwarded to ${t.target}, ok`} tone="ok" onFilter={onFilter} />,
                      <Cell key={`${t.target}-ff`} cell={t.forward.failed} label={`forwarded to ${t.target}, failed`} tone="fail" onFilter={onFilter} />,
                    ])}
                    <CheckCell check={row.check} />
                    <Cell cell={row.siem.any} label="reached a SIEM sink" onFilter={onFilter} />
                    {row.siem.sinks.map((s) => <Cell key={s.sink} cell={s.reached} label={`reached the ${s.sink} sink`} onFilter={onFilter} />)}
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <div class="modal__actions">
        <button type="button" class="btn" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
