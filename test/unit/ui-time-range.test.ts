// The chart's brush as a query: bars to after:/before:, replacing earlier time bounds, in a
// form the server's own parser accepts.
import { describe, expect, it } from 'vitest';
import { brushRange, formatTimeValue, withTimeRange } from '../../ui/state/time-range.ts';
import { parseQuery } from '../../server/common/query.ts';
import { parseTimeValue, queryProblem } from '../../server/common/query-values.ts';

const T = Date.parse('2026-12-03T10:00:00Z');

describe('chart brush', () => {
  it('picks the bars under the drag, in either direction', () => {
    const starts = [T, T + 60_000, T + 120_000, T + 300_000];
    expect(brushRange(starts, 60_000, 0.3, 0.6)).toEqual({ from: T + 60_000, to: T + 180_000 });
    expect(brushRange(starts, 60_000, 0.99, 0.76)).toEqual({ from: T + 300_000, to: T + 360_000 });
    expect(brushRange(starts, 60_000, -0.2, 1.4)).toEqual({ from: T, to: T + 360_000 });
    expect(brushRange([], 60_000, 0, 1)).toBeNull();
  });

  it('writes after:/before: the server parses back to the same instants, replacing old bounds', () => {
    const q = withTimeRange('category:data_at_risk since:15m words -until:2026-01-01', T + 5_000, T + 65_250);
    expect(q).toBe('category:data_at_risk words after:2026-12-03T10:00:05Z before:2026-12-03T10:01:05.250Z');
    const parsed = parseQuery(q);
    expect(queryProblem(parsed)).toBeNull();
    const times = parsed.fields.filter((f) => f.field === 'after' || f.field === 'before').map((f) => parseTimeValue(f.value, 0));
    expect(times).toEqual([T + 5_000, T + 65_250]);
    expect(formatTimeValue(T)).toBe('2026-12-03T10:00:00Z');
  });
});
