// Geometry for the stacked bar chart above the list: one bar per time bucket, one segment
// per category facet, scaled to the tallest bar. Pure, so it is tested without a DOM.
import type { Histogram } from '../../server/common/protocol.ts';
import { NO_VALUE } from './categories.ts';

const FACET_ORDER = ['data_at_risk', 'misconfiguration', 'infrastructure_updates', 'other'];

export interface BarSegment {
  facet: string;
  count: number;
  y: number;
  height: number;
}

export interface HistogramBar {
  start: number;
  x: number;
  width: number;
  total: number;
  segments: BarSegment[];
}

export interface HistogramLayout {
  bars: HistogramBar[];
  /** Facets present, in stacking order (bottom first). */
  facets: string[];
  max: number;
  total: number;
}

/** Own keys only: facets are payload text, and "constructor" or "toString" must not read Object.prototype. */
function countOf(counts: Record<string, number>, facet: string): number {
  return Object.hasOwn(counts, facet) ? counts[facet]! : 0;
}

function facetRank(facet: string): number {
  const known = FACET_ORDER.indexOf(facet);
  if (known >= 0) return known;
  return facet === '' || facet === NO_VALUE ? FACET_ORDER.length + 1 : FACET_ORDER.length;
}

export function orderFacets(facets: Iterable<string>): string[] {
  return [...new Set(facets)].sort((a, b) => facetRank(a) - facetRank(b) || a.localeCompare(b));
}

/**
 * At most `maxBars` buckets, merging neighbours when the server sent more (a long time
 * span, or a server that buckets too finely): the chart must stay cheap to draw.
 */
export function rebucket(histogram: Histogram, maxBars: number): Histogram {
  const buckets = histogram.buckets;
  if (buckets.length <= maxBars) return histogram;
  const first = buckets[0]!.start;
  const last = buckets[buckets.length - 1]!.start + histogram.bucketMs;
  const width = Math.max(histogram.bucketMs, Math.ceil((last - first) / maxBars));
  const merged: Histogram['buckets'] = [];
  for (const bucket of buckets) {
    const start = first + Math.floor((bucket.start - first) / width) * width;
    let target = merged[merged.length - 1];
    if (!target || target.start !== start) {
      target = { start, counts: Object.create(null) as Record<string, number> };
      merged.push(target);
    }
    for (const [facet, n] of Object.entries(bucket.counts)) target.counts[facet] = countOf(target.counts, facet) + n;
  }
  return { bucketMs: width, buckets: merged };
}

export function layoutHistogram(histogram: Histogram, width: number, height: number, gap = 1): HistogramLayout {
  const buckets = histogram.buckets;
  const facets = orderFacets(buckets.flatMap((b) => Object.keys(b.counts)));
  const totals = buckets.map((b) => Object.values(b.counts).reduce((sum, n) => sum + n, 0));
  const max = Math.max(0, ...totals);
  const slot = buckets.length > 0 ? width / buckets.length : 0;
  const barWidth = Math.max(1, slot - gap);
  const bars = buckets.map((bucket, i) => {
    let y = height;
    const segments: BarSegment[] = [];
    for (const facet of facets) {
      const count = countOf(bucket.counts, facet);
      if (count <= 0) continue;
      const h = max > 0 ? (count / max) * height : 0;
      y -= h;
      segments.push({ facet, count, y, height: h });
    }
    return { start: bucket.start, x: i * slot, width: barWidth, total: totals[i] ?? 0, segments };
  });
  return { bars, facets, max, total: totals.reduce((a, b) => a + b, 0) };
}

/** Human bucket width: "1 min", "5 min", "1 h", "1 d". */
export function describeBucket(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}
