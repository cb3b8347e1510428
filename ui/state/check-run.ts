// A conformance check run as the UI shows it: the stored run, results arriving on the
// stream merged in (each once, in order), and one scorecard row per planned scenario.
import type { CheckResult, CheckRun, CheckRunSummary, CheckScenarioInfo } from '../../server/common/protocol.ts';
import { formatMs } from './format.ts';

export interface ScorecardRow {
  scenario: CheckScenarioInfo;
  /** null while the scenario has not run yet. */
  result: CheckResult | null;
}

/** Adds a streamed result (ignored when the run already has one for that scenario). */
export function addCheckResult(run: CheckRun, result: CheckResult): CheckRun {
  if (run.results.some((r) => r.id === result.id)) return run;
  const counts = { ...run.counts, total: run.counts.total + 1 };
  if (result.outcome === 'pass') counts.passed++;
  else if (result.outcome === 'fail') counts.failed++;
  else counts.info++;
  return { ...run, counts, results: [...run.results, result] };
}

/** A newer summary of the same run (start or finish message): keeps the results. */
export function updateCheckSummary(run: CheckRun, summary: CheckRunSummary): CheckRun {
  return summary.id === run.id ? { ...run, ...summary, results: run.results } : run;
}

export function scorecardRows(run: CheckRun): ScorecardRow[] {
  const byId = new Map(run.results.map((r) => [r.id, r]));
  const rows: ScorecardRow[] = run.planned.map((s) => ({ scenario: s, result: byId.get(s.id) ?? null }));
  // Results for scenarios not in the plan (should not happen) are still shown.
  for (const r of run.results) if (!run.planned.some((s) => s.id === r.id)) rows.push({ scenario: r, result: r });
  return rows;
}

/** Puts a summary into the history list (newest first), replacing an older copy. */
export function upsertRun(list: readonly CheckRunSummary[], run: CheckRunSummary): CheckRunSummary[] {
  const rest = list.filter((r) => r.id !== run.id);
  return [run, ...rest].sort((a, b) => b.id - a.id);
}

export function describeLatency(result: CheckResult): string {
  if (result.latency) return `p50 ${formatMs(result.latency.p50Ms)} · p99 ${formatMs(result.latency.p99Ms)}`;
  return formatMs(result.durationMs);
}

export function runLabel(state: CheckRunSummary['state']): string {
  return { running: 'Running', passed: 'Passed', failed: 'Failed', interrupted: 'Interrupted' }[state];
}

/** Two views of one run (a fetch and the stream): the further-along summary, every result once. */
export function mergeCheckRun(a: CheckRun, b: CheckRun): CheckRun {
  if (a.id !== b.id) return b;
  const base = a.state !== 'running' && b.state === 'running' ? a : b.state !== 'running' || b.results.length >= a.results.length ? b : a;
  const other = base === a ? b : a;
  const seen = new Set(base.results.map((r) => r.id));
  const extra = other.results.filter((r) => !seen.has(r.id));
  if (extra.length === 0) return base;
  return extra.reduce(addCheckResult, base);
}
