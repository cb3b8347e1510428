// The chart's brush as a query: the dragged-over bars become `after:` (first bar's start)
// and `before:` (last bar's end, exclusive), replacing any time bounds already in q. Pure.
import { tokenizeQuery } from './query.ts';

/** ISO time without a zero millisecond part: `2026-12-03T10:00:05Z`. */
export function formatTimeValue(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** q with its time bounds (after:/since:, before:/until:) replaced by [from, to). */
export function withTimeRange(q: string, from: number, to: number): string {
  const kept = tokenizeQuery(q).filter((t) => t.field !== 'after' && t.field !== 'before').map((t) => t.raw);
  return [...kept, `after:${formatTimeValue(from)}`, `before:${formatTimeValue(to)}`].join(' ');
}

/**
 * The bars between two positions (fractions of the chart's width, either order) as a time
 * range: from the first bar's start to the last bar's end. Bars are evenly spaced by index
 * (the chart leaves out empty buckets), so the index decides, not a time scale.
 */
export function brushRange(starts: readonly number[], bucketMs: number, a: number, b: number): { from: number; to: number } | null {
  if (starts.length === 0) return null;
  const index = (f: number) => Math.min(starts.length - 1, Math.max(0, Math.floor(f * starts.length)));
  const [i, j] = [index(Math.min(a, b)), index(Math.max(a, b))];
  return { from: starts[i]!, to: starts[j]! + bucketMs };
}
