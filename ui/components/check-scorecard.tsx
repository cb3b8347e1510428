// One check run as a scorecard: every planned scenario with what was expected, what the
// connector answered, latency and pass/fail/info, the reason under each failure. Rows fill
// in live while the run goes. A failed run opens on its failures, the first one expanded to
// its request and answer; report downloads and the CLI command sit under the table.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CheckRun } from '../../server/common/protocol.ts';
import { describeLatency, scorecardRows } from '../state/check-run.ts';
import { formatFullTime } from '../state/format.ts';
import { CheckStateBadge, OutcomeBadge } from './check-state-badge.tsx';
import { CheckExchangeView } from './check-exchange.tsx';
import { CheckReportActions } from './check-report-actions.tsx';

type Show = 'all' | 'fail' | 'info';

interface Props {
  run: CheckRun;
  onStop(): void;
  reportUrl(id: number, format: 'json' | 'junit'): string;
  sinkTokenRequired: boolean;
}

const failedOnes = (run: CheckRun) => run.state === 'failed' && run.counts.failed > 0;
/** The first failure as the scorecard lists it (plan order), not as results happened to arrive. */
const firstFailure = (run: CheckRun) => scorecardRows(run).find((r) => r.result?.outcome === 'fail' && r.result.exchange)?.scenario.id;

export function CheckScorecard({ run, onStop, reportUrl, sinkTokenRequired }: Props) {
  // A finished run with failures opens on its failures: that is what the user came for.
  const [show, setShow] = useState<Show>(failedOnes(run) ? 'fail' : 'all');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(failedOnes(run) ? [firstFailure(run)].filter((id) => id !== undefined) : []));
  const touched = useRef(false);
  // Watched to its end, a run that failed turns to its failures too, unless the user chose a
  // view; its first failure opens once its result is here (the end may be heard before it).
  const wasRunning = useRef(run.state === 'running');
  const openFirst = useRef(failedOnes(run) && firstFailure(run) === undefined);
  useEffect(() => {
    if (run.state === 'running') return;
    if (wasRunning.current && !touched.current && failedOnes(run)) {
      setShow('fail');
      openFirst.current = true;
    }
    wasRunning.current = false;
    // Wait for every result the end announced: the first in plan order may arrive last.
    const complete = run.results.length >= run.counts.total;
    const first = openFirst.current && !touched.current && complete ? firstFailure(run) : undefined;
    if (first !== undefined) {
      openFirst.current = false;
      setOpen((prev) => new Set([...prev, first]));
    }
  }, [run.state, run.results.length, run.counts.failed]);
  const toggle = (id: string) => setOpen((prev) => {
    const next = new Set(prev);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  const rows = scorecardRows(run).filter((r) => show === 'all' || r.result?.outcome === show);
  const planned = run.planned.length;
  const done = run.results.length;
  const running = run.state === 'running';
  let group = '';
  return (
    <div class="scorecard" data-testid="scorecard" data-state={run.state} data-run-id={run.id}>
      <div class="scorecard__head">
        <CheckStateBadge state={run.state} />
        <code class="scorecard__url">{run.url}</code>
        <span class="spacer" />
        {running ? <button type="button" class="btn btn--small btn--danger" onClick={onStop}>Stop</button> : null}
      </div>
      <p class="scorecard__meta">
        Run #{run.id} · started {formatFullTime(run.startedAt)} · timeout {run.settings.timeoutMs} ms · burst {run.settings.burst} · refusal{' '}
        {run.settings.expectReject.join('/')}
        {run.settings.only ? ` · only “${run.settings.only}”` : ''}
        {run.settings.through ? ` · through the ${run.settings.through} sink (wait ${Math.round((run.settings.sinkWaitMs ?? 10_000) / 1000)} s)` : ''}
      </p>
      <div class="scorecard__summary">
        <span class="tally tally--ok"><strong data-testid="count-passed">{run.counts.passed}</strong> passed</span>
        <span class="tally tally--fail"><strong data-testid="count-failed">{run.counts.failed}</strong> failed</span>
        <span class="tally tally--info"><strong>{run.counts.info}</strong> info</span>
        <span class="muted">{done} of {planned} scenarios</span>
        <span class="spacer" />
        <div class="segmented segmented--small" role="radiogroup" aria-label="Show">
          {(['all', 'fail', 'info'] as Show[]).map((s) => (
            <button key={s} type="button" role="radio" aria-checked={show === s} class="segmented__item" onClick={() => {
              touched.current = true;
              setShow(s);
            }}>
              {s === 'all' ? 'All' : s === 'fail' ? 'Failures' : 'Info'}
            </button>
          ))}
        </div>
      </div>
      {running ? (
        <div class="progress progress--ok" role="progressbar" aria-label="Check progress" aria-valuemin={0} aria-valuemax={planned} aria-valuenow={done}>
          <span class="progress__bar" style={{ width: `${planned ? Math.round((done / planned) * 100) : 0}%` }} />
        </div>
      ) : null}
      <div class="table-scroll table-scroll--tall">
        <table class="grid grid--scorecard">
          <thead>
            <tr><th>Scenario</th><th>Expected</th><th>Got</th><th class="num">Latency</th><th>Result</th></tr>
          </thead>
          <tbody>
            {rows.map(({ scenario: s, result: r }) => {
              const heading = s.group !== group ? (group = s.group) : null;
              return (
                <Fragment key={s.id}>
                  {heading ? <tr class="grid__group"><th colSpan={5}>{heading === 'siem' ? 'SIEM (what the connector wrote)' : heading.replace(/_/g, ' ')}</th></tr> : null}
                  <tr class={r?.outcome === 'fail' ? 'grid__row--fail' : r === null ? 'grid__row--pending' : ''} data-scenario={s.id} data-outcome={r?.outcome ?? 'pending'}>
                    <td>
                      <span class="scenario__name">{s.name}</span>
                      {s.required ? null : <span class="scenario__opt">not required</span>}
                      <code class="scenario__id">{s.id}</code>
                      {r?.reason ? <span class={`scenario__reason scenario__reason--${r.outcome}`}>{r.reason}</span> : null}
                      {r?.exchange ? (
                        <button type="button" class="link-btn scenario__toggle" aria-expanded={open.has(s.id)} aria-controls={`exchange-${s.id}`} onClick={() => toggle(s.id)}>
                          {open.has(s.id) ? 'Hide request and response' : 'Show request and response'}
                        </button>
                      ) : null}
                    </td>
                    <td class="nowrap">{s.expected}</td>
                    <td class="nowrap">{r ? r.got : <span class="muted">…</span>}</td>
                    <td class="num nowrap">{r ? describeLatency(r) : ''}</td>
                    <td><OutcomeBadge outcome={r?.outcome ?? null} /></td>
                  </tr>
                  {r?.exchange && open.has(s.id) ? (
                    <tr class="grid__exchange" id={`exchange-${s.id}`} data-exchange-for={s.id}>
                      <td colSpan={5}><CheckExchangeView exchange={r.exchange} /></td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 ? <p class="muted empty-note">Nothing to show here.</p> : null}
      </div>
      <CheckReportActions run={run} reportUrl={reportUrl} sinkTokenRequired={sinkTokenRequired} />
    </div>
  );
}
