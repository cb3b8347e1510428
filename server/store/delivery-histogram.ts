// The activity histogram from the buckets kept on write (delivery_histogram, migration 4):
// rolling rows up into them in batches past a mark (rollup.ts), and answering a histogram under field
// filters by summing bucket rows of the matching combinations, plus the few rows past the
// mark, instead of reading every delivery.
import type { Db } from './db.ts';
import type { Histogram } from '../common/protocol.ts';
import type { ParsedQuery } from '../common/query.ts';
import { HISTOGRAM_LEVELS } from './migrations.ts';
import { NONE } from './where.ts';
import type { DeliverySql } from './delivery-sql.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import { ROLLUP_MARK } from './rollup.ts';

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
  // The rows past the mark, counted per combination and FINEST bucket; a rowid range, never
  // an index (NOT INDEXED), so it reads only those rows however many are stored.
  // Rows stored before combination ids were kept have none: theirs is found by key.
  const tailBuckets = db.prepare(`SELECT coalesce(combo, (SELECT id FROM delivery_combos WHERE key = json_array(category_facet,
      event_type, sensitivity, signature, user_agent, path, method))) AS combo, received_at / ${FINEST} * ${FINEST} AS start, count(*) AS n
    FROM deliveries NOT INDEXED WHERE id > ? AND id <= ? GROUP BY 1, 2`);
  // Ids never change once committed; a rolled-back group forgets what it learned (forget()).
  const ids = new Map<string, number>();

  /** The combination id of a row's filterable values (`key`: their JSON), created on first sight. */
  function comboOf(key: string, values: (string | null)[]): number {
    let id = ids.get(key);
    if (id === undefined) {
      addCombo.run(...values);
      id = comboId.get(...values) as number;
      ids.set(key, id);
    }
    return id;
  }

  /**
   * The roll-up part (rollup.ts) for the buckets: rows from < id <= to join them. One upsert
   * per level and distinct (combination, bucket), not per row: SQLite sums the rows into the
   * finest buckets, and each wider level is summed from those (levels nest).
   */
  function addRange(from: number, to: number): void {
    const finest = tailBuckets.all(from, to) as { combo: number; start: number; n: number }[];
    for (const level of HISTOGRAM_LEVELS) {
      const sums = new Map<string, { combo: number; start: number; n: number }>();
      for (const b of finest) {
        const start = b.start - (b.start % level);
        const key = `${b.combo}:${start}`;
        const sum = sums.get(key);
        if (sum) sum.n += b.n;
        else sums.set(key, { combo: b.combo, start, n: b.n });
      }
      for (const b of sums.values()) addBucket.run(level, b.combo, b.start, b.n);
    }
  }

  return { comboOf, addRange, forget: () => ids.clear() };
}

/** Whether the buckets can answer this filter: field terms on counted columns only. */
export function isBucketable(query: ParsedQuery): boolean {
  return query.words.length === 0 && query.fields.every((t) => COUNTED_FIELDS.has(t.field));
}

export function createHistogramReads(db: Db, built: DeliverySql) {
  const { statement, buildWhere, total } = built;
  const through = db.prepare(`SELECT ${ROLLUP_MARK}`).pluck();

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
   * The matching rows not yet in the buckets (past the mark: at most a few thousand), read by
   * rowid range only (NOT INDEXED), with the caller's SELECT list.
   */
  function tail(select: string, query: ParsedQuery, mark: number, selectParams: unknown[] = [], groupBy = ''): unknown[] {
    const where = buildWhere(query);
    return statement(`SELECT ${select} FROM deliveries NOT INDEXED WHERE id > ? AND ${where.sql} ${groupBy}`).all(...selectParams, mark, ...where.params);
  }

  /**
   * The histogram from the buckets, or null when it needs the rows: a filter the buckets do
   * not hold, or a span short enough for buckets finer than FINEST in a small database. One
   * read transaction: the buckets and the rows past the mark are of the same moment.
   */
  const quickHistogram = db.transaction((query: ParsedQuery, buckets: number): Histogram | null => {
    if (!isBucketable(query)) return null;
    const m = matching(query);
    const mark = through.get() as number;
    // First and last FINEST bucket of each matching combination: two index seeks each.
    const kept = statement(`${m.cte} SELECT
        min((SELECT start FROM delivery_histogram h WHERE h.level = ${FINEST} AND h.combo = m.id AND h.n > 0 ORDER BY start LIMIT 1)) AS lo,
        max((SELECT start FROM delivery_histogram h WHERE h.level = ${FINEST} AND h.combo = m.id AND h.n > 0 ORDER BY start DESC LIMIT 1)) AS hi
      FROM m`).get(...m.params) as { lo: number | null; hi: number | null };
    const recent = tail('min(received_at) AS lo, max(received_at) AS hi', query, mark)[0] as { lo: number | null; hi: number | null };
    const ends = [kept.lo, kept.hi, recent.lo === null ? null : recent.lo - (recent.lo % FINEST), recent.hi].filter((t): t is number => t !== null);
    if (ends.length === 0) return { bucketMs: 60_000, buckets: [] };
    const lo = Math.min(...ends);
    const hi = Math.max(...ends);
    let bucketMs = niceBucket(Math.max(hi + FINEST - 1 - lo, 1) / buckets);
    if (bucketMs < FINEST) {
      if (total() <= SCAN_ROWS) return null;
      bucketMs = FINEST; // a million rows within the hour: minutes, not a full read
    }
    return histogramIn(query, bucketMs, mark);
  });

  /** Counts per bucket of `bucketMs` (a multiple of FINEST) and category facet: the buckets plus the rows past `mark`. */
  function histogramIn(query: ParsedQuery, bucketMs: number, mark: number): Histogram {
    // The widest kept level that divides bucketMs: its buckets nest exactly in the answer's.
    const level = [...HISTOGRAM_LEVELS].reverse().find((l) => bucketMs % l === 0);
    if (level === undefined) throw new Error(`bucketMs ${bucketMs} is not a multiple of ${FINEST}`);
    const m = matching(query);
    // Bound numbers arrive as REAL: the CAST makes the division an integer one.
    const kept = statement(`${m.cte} SELECT CAST(h.start / ? AS INTEGER) * ? AS start, m.facet AS facet, sum(h.n) AS n
      FROM m CROSS JOIN delivery_histogram h ON h.level = ${level} AND h.combo = m.id
      WHERE h.n > 0 GROUP BY 1, 2 ORDER BY 1`).all(...m.params, bucketMs, bucketMs) as BucketRow[];
    const recent = tail('CAST(received_at / ? AS INTEGER) * ? AS start, coalesce(category_facet, ?) AS facet, count(*) AS n', query, mark,
      [bucketMs, bucketMs, NONE], 'GROUP BY 1, 2') as BucketRow[];
    return toHistogram(bucketMs, recent.length === 0 ? kept : sumRows(kept, recent));
  }

  /** histogramIn in its own read transaction: the buckets and the rows past the mark of one moment. */
  const histogramAt = db.transaction((query: ParsedQuery, bucketMs: number): Histogram => histogramIn(query, bucketMs, through.get() as number));

  return { quickHistogram, histogramAt };
}

type BucketRow = { start: number; facet: string; n: number };

/** Rows of both lists summed per (start, facet), oldest first. */
function sumRows(a: BucketRow[], b: BucketRow[]): BucketRow[] {
  const sums = new Map<number, Map<string, number>>();
  for (const r of [...a, ...b]) {
    let byFacet = sums.get(r.start);
    if (!byFacet) sums.set(r.start, (byFacet = new Map()));
    byFacet.set(r.facet, (byFacet.get(r.facet) ?? 0) + r.n);
  }
  return [...sums].sort((x, y) => x[0] - y[0]).flatMap(([start, byFacet]) => [...byFacet].map(([facet, n]) => ({ start, facet, n })));
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
