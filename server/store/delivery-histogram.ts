// The activity histogram from the buckets kept on write (delivery_histogram, migration 4):
// adding a group commit's rows to them, and answering a histogram under field filters by
// summing bucket rows of the matching combinations instead of reading every delivery.
import type { Db } from './db.ts';
import type { Histogram } from '../common/protocol.ts';
import type { ParsedQuery } from '../common/query.ts';
import { HISTOGRAM_LEVELS } from './migrations.ts';
import { NONE } from './where.ts';
import type { DeliverySql } from './delivery-sql.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';

/** The query fields that are columns of delivery_counts (and so of every combination). */
const COUNTED_FIELDS = new Set(['category', 'event_type', 'sensitivity', 'sig', 'ua', 'path', 'method']);
const FINEST = HISTOGRAM_LEVELS[0];
/** Below this many stored rows a histogram finer than FINEST reads the rows (reader thread). */
export const SCAN_ROWS = 200_000;

/** The seven filterable values of a record, in delivery_counts key order. */
export function comboValues(r: NewDelivery): (string | null)[] {
  return [r.categoryFacet, r.eventType, r.sensitivity, r.signatureDetail.verdict, r.userAgent, r.path, r.method];
}

export function createHistogramWrites(db: Db) {
  // The key is built by SQLite (json_array), exactly as the delete trigger builds it.
  const addCombo = db.prepare('INSERT INTO delivery_combos (key) VALUES (json_array(?, ?, ?, ?, ?, ?, ?)) ON CONFLICT (key) DO NOTHING');
  const comboId = db.prepare('SELECT id FROM delivery_combos WHERE key = json_array(?, ?, ?, ?, ?, ?, ?)').pluck();
  const addBucket = db.prepare('INSERT INTO delivery_histogram (level, combo, start, n) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n');
  // Ids never change once committed; a rolled-back group forgets what it learned (forget()).
  const ids = new Map<string, number>();

  function idOf(key: string, values: (string | null)[]): number {
    let id = ids.get(key);
    if (id === undefined) {
      addCombo.run(...values);
      id = comboId.get(...values) as number;
      ids.set(key, id);
    }
    return id;
  }

  /**
   * One upsert per level and distinct (combination, bucket) of the group, not per row: rows
   * are summed into the finest buckets, and each wider level from those sums (levels nest).
   * `keys` are the records' comboValues as JSON, computed once per group by the caller.
   */
  function addToHistogram(records: NewDelivery[], values: (string | null)[][], keys: string[]): void {
    const finest = new Map<string, { combo: number; start: number; n: number }>();
    for (let i = 0; i < records.length; i++) {
      const combo = idOf(keys[i]!, values[i]!);
      const at = records[i]!.receivedAt;
      const start = at - (at % FINEST);
      const key = `${combo}:${start}`;
      const bucket = finest.get(key);
      if (bucket) bucket.n++;
      else finest.set(key, { combo, start, n: 1 });
    }
    for (const level of HISTOGRAM_LEVELS) {
      const sums = level === FINEST ? finest : new Map<string, { combo: number; start: number; n: number }>();
      if (level !== FINEST) {
        for (const b of finest.values()) {
          const start = b.start - (b.start % level);
          const key = `${b.combo}:${start}`;
          const sum = sums.get(key);
          if (sum) sum.n += b.n;
          else sums.set(key, { combo: b.combo, start, n: b.n });
        }
      }
      for (const b of sums.values()) addBucket.run(level, b.combo, b.start, b.n);
    }
  }

  return { addToHistogram, forget: () => ids.clear() };
}

/** Whether the buckets can answer this filter: field terms on counted columns only. */
export function isBucketable(query: ParsedQuery): boolean {
  return query.words.length === 0 && query.fields.every((t) => COUNTED_FIELDS.has(t.field));
}

export function createHistogramReads(built: DeliverySql) {
  const { statement, buildWhere, total } = built;

  /** The matching combinations with their category facet, as a CTE over delivery_counts. */
  function matching(query: ParsedQuery): { cte: string; params: unknown[] } {
    const where = buildWhere(query);
    return {
      cte: `WITH m AS (SELECT dc.id AS id, coalesce(c.category_facet, ?) AS facet FROM delivery_counts c
        JOIN delivery_combos dc ON dc.key = c.key WHERE c.n > 0 AND ${where.sql})`,
      params: [NONE, ...where.params],
    };
  }

  /**
   * The histogram from the buckets, or null when it needs the rows: a filter the buckets do
   * not hold, or a span short enough for buckets finer than FINEST in a small database.
   */
  function quickHistogram(query: ParsedQuery, buckets: number): Histogram | null {
    if (!isBucketable(query)) return null;
    const m = matching(query);
    // First and last FINEST bucket of each matching combination: two index seeks each.
    const range = statement(`${m.cte} SELECT
        min((SELECT start FROM delivery_histogram h WHERE h.level = ${FINEST} AND h.combo = m.id AND h.n > 0 ORDER BY start LIMIT 1)) AS lo,
        max((SELECT start FROM delivery_histogram h WHERE h.level = ${FINEST} AND h.combo = m.id AND h.n > 0 ORDER BY start DESC LIMIT 1)) AS hi
      FROM m`).get(...m.params) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return { bucketMs: 60_000, buckets: [] };
    let bucketMs = niceBucket(Math.max(range.hi + FINEST - 1 - range.lo, 1) / buckets);
    if (bucketMs < FINEST) {
      if (total() <= SCAN_ROWS) return null;
      bucketMs = FINEST; // a million rows within the hour: minutes, not a full read
    }
    return histogramAt(query, bucketMs);
  }

  /** Counts per bucket of `bucketMs` (a multiple of FINEST) and category facet, from the buckets. */
  function histogramAt(query: ParsedQuery, bucketMs: number): Histogram {
    // The widest kept level that divides bucketMs: its buckets nest exactly in the answer's.
    const level = [...HISTOGRAM_LEVELS].reverse().find((l) => bucketMs % l === 0);
    if (level === undefined) throw new Error(`bucketMs ${bucketMs} is not a multiple of ${FINEST}`);
    const m = matching(query);
    // Bound numbers arrive as REAL: the CAST makes the division an integer one.
    const rows = statement(`${m.cte} SELECT CAST(h.start / ? AS INTEGER) * ? AS start, m.facet AS facet, sum(h.n) AS n
      FROM m CROSS JOIN delivery_histogram h ON h.level = ${level} AND h.combo = m.id
      WHERE h.n > 0 GROUP BY 1, 2 ORDER BY 1`).all(...m.params, bucketMs, bucketMs) as { start: number; facet: string; n: number }[];
    return toHistogram(bucketMs, rows);
  }

  return { quickHistogram, histogramAt };
}

/** Rows of (bucket start, facet, count), oldest first, as the API's histogram. */
export function toHistogram(bucketMs: number, rows: { start: number; facet: string; n: number }[]): Histogram {
  const byStart = new Map<number, Record<string, number>>();
  for (const r of rows) {
    let counts = byStart.get(r.start);
    // Facet values come from payloads: a null-prototype object keeps "__proto__" a plain key.
    if (!counts) byStart.set(r.start, (counts = Object.create(null) as Record<string, number>));
    counts[r.facet] = r.n;
  }
  return { bucketMs, buckets: [...byStart].map(([start, counts]) => ({ start, counts })) };
}

export function niceBucket(ms: number): number {
  const steps = [1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000];
  return steps.find((s) => s >= ms) ?? 86_400_000 * Math.ceil(ms / 86_400_000);
}
