// Aggregates over the deliveries table: facet counts under a filter and the histogram.
import type { FacetCount, Facets, Histogram } from '../shared/protocol.ts';
import type { ParsedQuery } from '../shared/query.ts';
import { NONE } from './where.ts';
import type { DeliverySql } from './delivery-sql.ts';

export function createDeliveryAggregates(built: DeliverySql) {
  const { statement, buildWhere } = built;

  /**
   * Counts per value of each facet under the filter, in one pass: the matching rows grouped
   * by every facet column at once, then summed per column here. Field filters (every facet
   * field is a column of delivery_counts) read the counts table: a few hundred rows, not a
   * million. Free-text words need the rows themselves, and read each matching row once.
   */
  function facets(query: ParsedQuery): Facets {
    const where = buildWhere(query);
    const fromCounts = query.words.length === 0;
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
    const top = (c: number): FacetCount[] =>
      [...sums[c]!].sort(byCountThenValue).slice(0, 100).map(([value, count]) => ({ value: value ?? NONE, count }));
    return { total, category: top(0), eventType: top(1), sensitivity: top(2), signature: top(3), userAgent: top(4), path: top(5) };
  }

  function histogram(query: ParsedQuery, buckets = 60): Histogram {
    const where = buildWhere(query);
    const range = statement(`SELECT min(received_at) AS lo, max(received_at) AS hi FROM deliveries WHERE ${where.sql}`)
      .get(...where.params) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return { bucketMs: 60_000, buckets: [] };
    const span = Math.max(range.hi - range.lo, 1);
    const bucketMs = niceBucket(span / buckets);
    const rows = statement(`SELECT CAST(received_at / ? AS INTEGER) * ? AS start, coalesce(category_facet, ?) AS facet, count(*) AS n
      FROM deliveries WHERE ${where.sql} GROUP BY start, facet ORDER BY start`)
      .all(bucketMs, bucketMs, NONE, ...where.params) as { start: number; facet: string; n: number }[];
    const byStart = new Map<number, Record<string, number>>();
    for (const r of rows) {
      const counts = byStart.get(r.start) ?? {};
      counts[r.facet] = r.n;
      byStart.set(r.start, counts);
    }
    return { bucketMs, buckets: [...byStart].map(([start, counts]) => ({ start, counts })) };
  }

  return { facets, histogram };
}

const FACET_COLUMNS = ['category_facet', 'event_type', 'sensitivity', 'signature', 'user_agent', 'path'] as const;

/** Most first; ties in SQLite's own order (missing first, then UTF-8 bytes), as ORDER BY count DESC, value gave. */
function byCountThenValue(a: [string | null, number], b: [string | null, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  if (a[0] === b[0]) return 0;
  if (a[0] === null) return -1;
  if (b[0] === null) return 1;
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

function niceBucket(ms: number): number {
  const steps = [1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000];
  return steps.find((s) => s >= ms) ?? 86_400_000 * Math.ceil(ms / 86_400_000);
}
