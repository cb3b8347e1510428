// Values of the outcome and time query fields: relative and ISO times, attempt statuses,
// and the one-line problems the API, the CLI and the UI show for values that mean nothing.
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../server/common/query.ts';
import { parseAttemptValue, parseTimeValue, queryProblem, termProblem } from '../../server/common/query-values.ts';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

describe('query field values', () => {
  it('reads relative times back from now and ISO times as given', () => {
    expect(parseTimeValue('15m', NOW)).toBe(NOW - 15 * 60_000);
    expect(parseTimeValue('2h', NOW)).toBe(NOW - 2 * 3_600_000);
    expect(parseTimeValue('1D', NOW)).toBe(NOW - 86_400_000);
    expect(parseTimeValue('30s', NOW)).toBe(NOW - 30_000);
    expect(parseTimeValue('1w', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(parseTimeValue('2026-12-03T10:00:00Z', NOW)).toBe(Date.UTC(2026, 11, 3, 10));
    expect(parseTimeValue('2026-12-03T10:00:00.250+02:00', NOW)).toBe(Date.UTC(2026, 11, 3, 8, 0, 0, 250));
    expect(parseTimeValue('2026-12-03', NOW)).toBe(Date.UTC(2026, 11, 3));
    for (const bad of ['yesterday', '15', '15x', '-1h', '2026-13-40', '2026-12-03T25:00Z', '', 'NaN']) expect(parseTimeValue(bad, NOW), bad).toBeNull();
  });

  it('reads attempt statuses, classes and what became of an attempt', () => {
    expect(parseAttemptValue('401')).toEqual({ kind: 'status', status: 401 });
    expect(parseAttemptValue('5XX')).toEqual({ kind: 'class', cls: '5xx' });
    expect(parseAttemptValue('timeout')).toEqual({ kind: 'timeout' });
    expect(parseAttemptValue('failed')).toEqual({ kind: 'failed' });
    for (const bad of ['600', '99', '6xx', 'slow', '']) expect(parseAttemptValue(bad), bad).toBeNull();
  });

  it('names the field and what it expects for a value that means nothing', () => {
    expect(termProblem({ field: 'replay', value: 'OK' })).toBeNull();
    expect(termProblem({ field: 'forward', value: 'maybe' })).toBe('forward: expects ok, failed or none, got "maybe"');
    expect(termProblem({ field: 'attempt', value: 'slow' })).toMatch(/^attempt: expects a status \(401\), a class \(5xx\)/);
    expect(termProblem({ field: 'after', value: 'yesterday' })).toMatch(/^after: expects an ISO time .* or a relative one \(15m, 2h, 1d\)/);
    expect(termProblem({ field: 'category', value: 'anything' })).toBeNull();
    expect(termProblem({ field: 'output', value: 'HEC' })).toBeNull();
    expect(termProblem({ field: 'output', value: 'splunk' })).toMatch(/^output: expects any, none, hec, elastic, syslog or http/);
    expect(termProblem({ field: 'via', value: 'mail' })).toMatch(/^via: expects send, replay, forward or check/);
    expect(queryProblem(parseQuery('replay:failed forwarded:none attempt:5xx since:15m until:2026-12-01 words'))).toBeNull();
    expect(queryProblem(parseQuery('replay:ok before:soon'))).toMatch(/^before:/);
  });
});
