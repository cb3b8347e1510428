// Live state of the sender UI: forwarding health in words, check runs merged from the API
// and the stream (each result once), and bulk job progress that never goes backwards.
import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckRun, ForwardTargetHealth, JobStatus } from '../../server/common/protocol.ts';
import { newerJob } from '../../ui/hooks/use-bulk-job.ts';
import { addCheckResult, mergeCheckRun, scorecardRows, updateCheckSummary, upsertRun } from '../../ui/state/check-run.ts';
import { describeForwardHealth, forwardHeadline, overallTone, timeUntilFailed } from '../../ui/state/forward-health.ts';

const target = (over: Partial<ForwardTargetHealth> = {}): ForwardTargetHealth => ({
  url: 'http://siem/', lastSuccessAt: null, lastFailureAt: null, lastError: null, lastStatus: null, consecutiveFailures: 0,
  failingSince: null, failing: false, queued: 0, inFlight: 0, forwarded: 0, failed: 0, retries: 0, dropped: 0, format: 'soveren', ...over,
});

describe('forward health', () => {
  const FIFTEEN = 15 * 60_000;
  it('reads like Soveren: healthy, failing attempts, failed after 15 minutes', () => {
    expect(describeForwardHealth(target(), FIFTEEN)).toMatchObject({ tone: 'idle' });
    expect(describeForwardHealth(target({ lastSuccessAt: '2026-01-01T00:00:00Z' }), FIFTEEN)).toMatchObject({ tone: 'ok', label: 'Healthy' });
    expect(describeForwardHealth(target({ consecutiveFailures: 3 }), FIFTEEN)).toMatchObject({ tone: 'warn', label: 'Failing' });
    const failed = describeForwardHealth(target({ consecutiveFailures: 40, failing: true }), FIFTEEN);
    expect(failed).toMatchObject({ tone: 'err', label: 'Failed' });
    expect(failed.detail).toContain('15 minutes');
    expect(failed.detail).toContain('40 deliveries failed in a row');
  });

  it('says in words how long until Soveren\'s 15-minute mark', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    const failing = target({ consecutiveFailures: 1, failingSince: '2026-01-01T00:00:00Z' });
    expect(timeUntilFailed(failing, FIFTEEN, now)).toBe(5 * 60_000);
    expect(describeForwardHealth(failing, FIFTEEN, now).detail).toBe('1 delivery failed in a row; Soveren would show it as failed in 5 min without a success.');
    const state = (targets: ForwardTargetHealth[], enabled = true) => ({
      enabled, signing: 'none' as const, tokenSource: null, failAfterMs: FIFTEEN, concurrency: 1, retries: 0, format: null, batchMs: 50,
      siem: { hecTokenSet: false, hecAck: false, elasticApiKeySet: false }, targets,
    });
    expect(forwardHeadline(state([failing]), now)).toMatchObject({ tone: 'warn', words: 'failing · 5 min left' });
    expect(forwardHeadline(state([failing, target({ failing: true, consecutiveFailures: 9 })]), now)).toMatchObject({ tone: 'err', words: 'failed' });
    expect(forwardHeadline(state([]), now).words).toBe('');
    expect(forwardHeadline(state([target()], false), now).words).toBe('off');
    expect(forwardHeadline(state([target({ lastSuccessAt: 'x' })]), now)).toMatchObject({ tone: 'ok', words: '' });
  });

  it('sums up the worst target', () => {
    expect(overallTone([], FIFTEEN)).toBe('idle');
    expect(overallTone([target({ lastSuccessAt: 'x' }), target({ failing: true, consecutiveFailures: 1 })], FIFTEEN)).toBe('err');
    expect(overallTone([target({ lastSuccessAt: 'x' }), target({ consecutiveFailures: 1 })], FIFTEEN)).toBe('warn');
  });
});

const scenario = (id: string) => ({ id, name: `${id} probe`, group: 'signature' as const, required: true, expected: '401 or 403' });
const result = (id: string, outcome: CheckResult['outcome']): CheckResult => ({ ...scenario(id), got: '401', outcome, reason: null, durationMs: 1, latency: null });
const run = (over: Partial<CheckRun> = {}): CheckRun => ({
  id: 7, source: 'ui', url: 'http://c/', state: 'running', startedAt: 't', finishedAt: null, planned: [scenario('a'), scenario('b'), scenario('c')],
  counts: { total: 0, passed: 0, failed: 0, info: 0 }, settings: { timeoutMs: 1, burst: 1, expectReject: [401], largeSize: 1, only: null }, results: [], ...over,
});

describe('check runs', () => {
  it('adds each streamed result once and counts it', () => {
    let r = addCheckResult(run(), result('a', 'pass'));
    r = addCheckResult(r, result('b', 'fail'));
    r = addCheckResult(r, result('b', 'fail'));
    expect(r.results.map((x) => x.id)).toEqual(['a', 'b']);
    expect(r.counts).toEqual({ total: 2, passed: 1, failed: 1, info: 0 });
    expect(scorecardRows(r).map((row) => row.result?.outcome ?? 'pending')).toEqual(['pass', 'fail', 'pending']);
  });

  it('merges a fetch with what the stream brought, finished state winning', () => {
    const streamed = addCheckResult(addCheckResult(run(), result('a', 'pass')), result('b', 'pass'));
    const fetched = { ...run({ state: 'passed', finishedAt: 'z' }), results: [result('a', 'pass')], counts: { total: 1, passed: 1, failed: 0, info: 0 } };
    const merged = mergeCheckRun(streamed, fetched);
    expect(merged.state).toBe('passed');
    expect(merged.results.map((x) => x.id)).toEqual(['a', 'b']);
    expect(merged.counts.passed).toBe(2);
    expect(mergeCheckRun(fetched, streamed).state).toBe('passed');
  });

  it('keeps results when a summary message arrives, and history newest first', () => {
    const r = addCheckResult(run(), result('a', 'info'));
    const { results: _drop, ...summary } = run({ state: 'failed' });
    expect(updateCheckSummary(r, summary).results).toHaveLength(1);
    expect(updateCheckSummary(r, { ...summary, id: 8 })).toBe(r);
    expect(upsertRun([summary], { ...summary, id: 9 }).map((x) => x.id)).toEqual([9, 7]);
    expect(upsertRun([summary], { ...summary, state: 'passed' })).toHaveLength(1);
  });
});

describe('bulk job progress', () => {
  const job = (over: Partial<JobStatus>): JobStatus => ({ id: 'j', kind: 'replay', state: 'running', total: 10, done: 0, ok: 0, failed: 0, target: 'http://t/', startedAt: 't', finishedAt: null, ...over });
  it('never moves backwards and keeps a final state', () => {
    expect(newerJob(job({ done: 5 }), job({ done: 3 })).done).toBe(5);
    expect(newerJob(job({ done: 5 }), job({ done: 6 })).done).toBe(6);
    expect(newerJob(job({ state: 'done', done: 10 }), job({ done: 9 })).state).toBe('done');
    expect(newerJob(job({ done: 9 }), job({ state: 'stopped', done: 9 })).state).toBe('stopped');
    expect(newerJob(job({ id: 'other', done: 9 }), job({ done: 1 })).done).toBe(1);
  });
});
