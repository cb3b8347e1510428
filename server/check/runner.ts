// Runs the selected scenarios against a connector, one after another (the burst runs its
// requests at once), reporting each result as it lands. Bounded: every request has the
// run's timeout, and a connector that stops answering ends the run early.
import type { CheckCounts, CheckReport, CheckResult, CheckSettings } from '../common/protocol.ts';
import { createScenarios, selectScenarios } from './scenarios.ts';
import type { Scenario, ScenarioContext, Verdict } from './scenario.ts';
import { redactUrl } from '../sender/target-url.ts';
import { createSentLog } from './sent-log.ts';
import { createExchangeRecorder } from './exchange.ts';
import { awaitThrough, SIEM_SCENARIOS, type ThroughHook } from './through.ts';

export interface CheckTarget {
  url: string;
  /** Signs requests only: never part of a result or report. */
  token: string;
}

export interface CheckHooks {
  /** A scenario is about to run (progress). */
  onStart?(scenario: Scenario, index: number, total: number): void;
  onResult?(result: CheckResult, index: number, total: number): void;
  /** Stops between scenarios and aborts requests in flight. */
  signal?: AbortSignal;
  /** `check --through`: every request sent is noted, and what reached this sink is judged after the scenarios. */
  through?: ThroughHook;
  /** `check --through`: the scenarios are done; the wait for the SIEM begins. */
  onWait?(hook: ThroughHook): void;
}

/** Scenarios in a row with no HTTP answer at all before the rest are given up. */
export const GIVE_UP_AFTER = 3;

export function countResults(results: readonly CheckResult[]): CheckCounts {
  return {
    total: results.length,
    passed: results.filter((r) => r.outcome === 'pass').length,
    failed: results.filter((r) => r.outcome === 'fail').length,
    info: results.filter((r) => r.outcome === 'info').length,
  };
}

function toResult(s: Scenario, v: Verdict, hide: (text: string) => string = (t) => t): CheckResult {
  return {
    id: s.id, name: s.name, group: s.group, required: s.required, expected: s.expected,
    got: hide(v.got), outcome: v.outcome, reason: v.reason === null ? null : hide(v.reason), durationMs: v.durationMs, latency: v.latency ?? null,
  };
}

/** A connector's answer is quoted in reasons; one that echoes its token must not leak it into reports. */
function createTokenHider(token: string): (text: string) => string {
  if (token.length < 4) return (text) => text; // too short to tell from ordinary text
  return (text) => text.split(token).join('[token]');
}

function notRun(s: Scenario, why: string): CheckResult {
  return toResult(s, { outcome: s.required ? 'fail' : 'info', got: 'not run', reason: `not run: ${why}`, durationMs: 0, answered: false });
}

export async function runCheck(target: CheckTarget, settings: CheckSettings, hooks: CheckHooks = {}): Promise<CheckReport> {
  const started = new Date();
  const t0 = performance.now();
  const scenarios = selectScenarios(createScenarios(settings), settings.only);
  const sent = hooks.through ? createSentLog(target.token) : null;
  const ctx: ScenarioContext = { url: target.url, token: target.token, settings, now: started, ...(hooks.signal && { signal: hooks.signal }), ...(sent && { sent }) };
  const results: CheckResult[] = [];
  const hide = createTokenHider(target.token);
  let silentInARow = 0;
  let givenUp: string | null = null;

  for (const [i, scenario] of scenarios.entries()) {
    let result: CheckResult;
    if (hooks.signal?.aborted) {
      result = notRun(scenario, 'the run was stopped');
    } else if (givenUp !== null) {
      result = notRun(scenario, givenUp);
    } else {
      hooks.onStart?.(scenario, i, scenarios.length);
      let verdict: Verdict;
      const exchange = createExchangeRecorder();
      try {
        verdict = await scenario.run({ ...ctx, onExchange: exchange.record });
      } catch (err) {
        // A scenario bug must not end the run without a report; it is that scenario's failure.
        verdict = { outcome: 'fail', got: 'error', reason: `the check itself failed: ${(err as Error).message}`, durationMs: 0, answered: false };
      }
      silentInARow = verdict.answered ? 0 : silentInARow + 1;
      if (silentInARow >= GIVE_UP_AFTER) {
        givenUp = `the connector stopped answering (${GIVE_UP_AFTER} scenarios in a row got no HTTP answer; last: ${verdict.got})`;
      }
      result = toResult(scenario, verdict, hide);
      // What went wrong, or what was noted, is shown with its request and answer.
      if (result.outcome !== 'pass') result.exchange = exchange.take(hide);
    }
    results.push(result);
    hooks.onResult?.(result, i, scenarios.length + (sent ? SIEM_SCENARIOS.length : 0));
  }
  if (sent && hooks.through) {
    const total = scenarios.length + SIEM_SCENARIOS.length;
    let siem: CheckResult[];
    if (hooks.signal?.aborted) {
      siem = SIEM_SCENARIOS.map((s) => ({ ...s, got: 'not run', outcome: s.required ? 'fail' : 'info', reason: 'not run: the run was stopped', durationMs: 0, latency: null }));
    } else {
      hooks.onWait?.(hooks.through);
      siem = await awaitThrough(() => sent.events(), hooks.through, hooks.signal);
    }
    for (const r of siem) {
      results.push(r);
      hooks.onResult?.(r, results.length - 1, total);
    }
  }

  const counts = countResults(results);
  return {
    format: 'soveren-inspector.check/1',
    url: redactUrl(target.url),
    ok: results.every((r) => !r.required || r.outcome === 'pass') && !hooks.signal?.aborted,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    settings: { ...settings, expectReject: [...settings.expectReject] },
    counts,
    scenarios: results,
  };
}
