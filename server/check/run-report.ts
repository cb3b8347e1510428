// A stored check run (the UI's history) as the report the CLI writes: the same JSON as
// `check --json` and the same JUnit XML as `check --junit`, for the scorecard's downloads.
import type { CheckReport, CheckRun } from '../common/protocol.ts';

/** The report of a finished run; null while it is still running. */
export function reportOfRun(run: CheckRun): CheckReport | null {
  if (run.state === 'running' || run.finishedAt === null) return null;
  return {
    format: 'soveren-inspector.check/1',
    url: run.url,
    ok: run.state === 'passed',
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt)),
    settings: run.settings,
    counts: run.counts,
    scenarios: run.results,
  };
}
