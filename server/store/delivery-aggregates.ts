// Aggregates over the deliveries table: facet counts under a filter and the histogram.
import type { Db } from './db.ts';
import type { FacetCount, Facets, Histogram } from '../common/protocol.ts';
import type { ParsedQuery, QueryField } from '../common/query.ts';
import { NONE } from './where.ts';
import type { DeliverySql } from './delivery-sql.ts';
import { createHistogramReads, isBucketable, niceBucket, toHistogram } from './delivery-histogram.ts';

export function createDeliveryAggregates(db: Db, built: DeliverySql) {
  const { statement, buildWhere } = built;

  /**
   * Counts per value of each facet under the filter, in one pass: the matching rows grouped
   * by every facet column at once, then summed per column here. Field filters (every facet
   * field is a column of delivery_counts) read the counts table: a few hundred rows, not a
   * million. Free-text words and the outcome and time fields need the rows themselves, and
   * read each matching row once.
   *
   * A facet the filter picks values of is counted without that pick (multi-select facets, as
   * search UIs do): with `category:a` chosen, the other categories keep their counts, so a
   * second one can be ticked (`category:a category:b` = either). Exclusions (`-category:c`)
   * still apply to their own facet; `total` is always under the whole filter.
   */
  function facets(query: ParsedQuery): Facets {
    const { total, sums } = countColumns(query);
    for (let c = 0; c < FACET_COLUMNS.length; c++) {
      const field = FACET_FIELDS[c]!;
      if (!query.fields.some((t) => t.field === field && !t.negate)) continue;
      const relaxed: ParsedQuery = { words: query.words, fields: query.fields.filter((t) => t.field !== field || t.negate) };
      sums[c] = countColumns(relaxed).sums[c]!;
    }
    const top = (c: number): FacetCount[] =>
      [...sums[c]!].sort(byCountThenValue).slice(0, 100).map(([value, count]) => ({ value: value ?? NONE, count }));
    return { total, category: top(0), eventType: top(1), sensitivity: top(2), signature: top(3), userAgent: top(4), path: top(5) };
  }

  function countColumns(query: ParsedQuery): { total: number; sums: Map<string | null, number>[] } {
    const where = buildWhere(query);
    const fromCounts = isBucketable(query);
    // The counts table is grouped already (by one more column, method): its rows are summed as they are.
    const sql = fromCounts
      ? `SELECT ${FACET_COLUMNS.join(', ')}, n FROM delivery_counts WHERE ${where.sql}`
      : `SELECT ${FACET_COLUMNS.join(', ')}, count(*) FROM deliveries WHERE ${where.sql} GROUP BY ${FACET_COLUMNS.join(', ')}`;
    const rows = statement(sql).raw().all(...where.params) as (string | number | null)[][];
    let total = 0;
    const sums = FACET_COLUMNS.map(() => new Map<string | null, number>());
    for (const row of rows) {
      const n = row[FACET_COLUMNS.length] as number;
      if (n <= 0) continue;
      total += n;
      for (let c = 0; c < FACET_COLUMNS.length; c++) {
        const value = row[c] as string | null;
        sums[c]!.set(value, (sums[c]!.get(value) ?? 0) + n);
      }
    }
    return { total, sums };
  }

  const buckets = createHistogramReads(db, built);

  /** From the buckets kept on write when they can answer; otherwise from every matching row. */
  function histogram(query: ParsedQuery, count = 60): Histogram {
    const quick = buckets.quickHistogram(query, count);
    if (quick) return quick;
    const where = buildWhere(query);
    const range = statement(`SELECT min(received_at) AS lo, max(received_at) AS hi FROM deliveries WHERE ${where.sql}`)
      .get(...where.params) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return { bucketMs: 60_000, buckets: [] };
    return scanHistogramAt(query, niceBucket(Math.max(range.hi - range.lo, 1) / count));
  }

  /** Counts per bucket of `bucketMs` and category facet, reading every matching row. */
  function scanHistogramAt(query: ParsedQuery, bucketMs: number): Histogram {
    const where = buildWhere(query);
    const rows = statement(`SELECT CAST(received_at / ? AS INTEGER) * ? AS start, coalesce(category_facet, ?) AS facet, count(*) AS n
      FROM deliveries WHERE ${where.sql} GROUP BY start, facet ORDER BY start`)
      .all(bucketMs, bucketMs, NONE, ...where.params) as { start: number; facet: string; n: number }[];
    return toHistogram(bucketMs, rows);
  }

  return { facets, countsAnswer: isBucketable, histogram, quickHistogram: buckets.quickHistogram, bucketHistogramAt: buckets.histogramAt, scanHistogramAt };
}

const FACET_COLUMNS = ['category_facet', 'event_type', 'sensitivity', 'signature', 'user_agent', 'path'] as const;
/** The query field each facet column answers, in the same order. */
const FACET_FIELDS: readonly QueryField[] = ['category', 'event_type', 'sensitivity', 'sig', 'ua', 'path'];

/** Most first; ties in SQLite's own order (missing first, then UTF-8 bytes), as ORDER BY count DESC, value gave. */
function byCountThenValue(a: [string | null, number], b: [string | null, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  if (a[0] === b[0]) return 0;
  if (a[0] === null) return -1;
  if (b[0] === null) return 1;
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}
