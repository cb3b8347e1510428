// Live arrivals applied to the counts the page already shows (header total, facets, chart),
// in the same frame as the rows: the server's own figures follow a few seconds later and
// replace these, but the user never sees "98 deliveries" above 100 rows. Pure.
import type { DeliverySummary, Facets, FacetCount, Health, Histogram } from '../../server/common/protocol.ts';
import { NO_VALUE } from './categories.ts';

type FacetKey = Exclude<keyof Facets, 'total'>;

/** Which summary field each facet list counts (null is the server's "(none)"). */
const FACET_VALUE: Record<FacetKey, (d: DeliverySummary) => string | null> = {
  category: (d) => d.categoryFacet,
  eventType: (d) => d.eventType,
  sensitivity: (d) => d.sensitivity,
  signature: (d) => d.signature,
  userAgent: (d) => d.userAgent,
  path: (d) => d.path,
};

function addCounts(list: readonly FacetCount[], values: readonly (string | null)[]): FacetCount[] {
  // Values are payload text: a Map, never an object keyed by them.
  const added = new Map<string, number>();
  for (const v of values) {
    const key = v ?? NO_VALUE;
    added.set(key, (added.get(key) ?? 0) + 1);
  }
  const out = list.map((c) => {
    const n = added.get(c.value);
    if (n === undefined) return c;
    added.delete(c.value);
    return { value: c.value, count: c.count + n };
  });
  for (const [value, count] of added) out.push({ value, count });
  // Most first, as the server sorts; ties keep their order (Array.prototype.sort is stable).
  return out.sort((a, b) => b.count - a.count);
}

/** Facet counts with the batch counted in (the batch matched the query: the stream filters). */
export function addToFacets(facets: Facets, batch: readonly DeliverySummary[]): Facets {
  if (batch.length === 0) return facets;
  const next: Facets = { ...facets, total: facets.total + batch.length };
  for (const key of Object.keys(FACET_VALUE) as FacetKey[]) {
    next[key] = addCounts(facets[key], batch.map(FACET_VALUE[key]));
  }
  return next;
}

/** The chart with the batch counted into its buckets (new buckets appended in time order). */
export function addToHistogram(histogram: Histogram, batch: readonly DeliverySummary[]): Histogram {
  if (batch.length === 0) return histogram;
  const { bucketMs } = histogram;
  const byStart = new Map<number, Record<string, number>>();
  for (const b of histogram.buckets) byStart.set(b.start, b.counts);
  const touched = new Set<number>();
  for (const d of batch) {
    const ms = Date.parse(d.receivedAt);
    if (Number.isNaN(ms)) continue;
    const start = Math.floor(ms / bucketMs) * bucketMs;
    let counts = byStart.get(start);
    if (!touched.has(start)) {
      // Copy before writing: the previous histogram object stays as it was.
      const copy = Object.assign(Object.create(null) as Record<string, number>, counts);
      byStart.set(start, (counts = copy));
      touched.add(start);
    }
    const facet = d.categoryFacet ?? NO_VALUE;
    counts![facet] = (Object.hasOwn(counts!, facet) ? counts![facet]! : 0) + 1;
  }
  const buckets = [...byStart].sort((a, b) => a[0] - b[0]).map(([start, counts]) => ({ start, counts }));
  return { bucketMs, buckets };
}

/** Stored count and newest id with the batch in. */
export function addToHealth(health: Health, batch: readonly DeliverySummary[]): Health {
  if (batch.length === 0) return health;
  const lastId = Math.max(health.lastId, ...batch.map((d) => d.id));
  return { ...health, deliveries: health.deliveries + batch.length, lastId };
}
