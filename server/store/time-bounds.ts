// Time filters (after:/before:) as id bounds. Rows arrive in time order, nearly: ids follow
// received_at except for what `import` adds and for clocks that step back. meta keeps the
// largest step back ever stored ('time_slack', kept on write with 'time_max'), and with it
// an id range that surely holds every row of a time range is found by binary search over
// the primary key: a newest-first page under after:/before: then starts and stops next to
// the range instead of walking every newer row.
import type { Db } from './db.ts';

export interface IdBounds {
  /** Every row in the range has an id above this (exclusive), or null. */
  above: number | null;
  /** Every row in the range has an id below this (exclusive), or null. */
  below: number | null;
}

export function createTimeBounds(db: Db) {
  const meta = db.prepare("SELECT key, value FROM meta WHERE key IN ('time_max', 'time_slack')");
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const firstFrom = db.prepare('SELECT id, received_at AS t FROM deliveries WHERE id >= ? ORDER BY id LIMIT 1');
  const extremes = db.prepare('SELECT (SELECT id FROM deliveries ORDER BY id LIMIT 1) AS lo, (SELECT id FROM deliveries ORDER BY id DESC LIMIT 1) AS hi');

  function readMeta(): { max: number | null; slack: number | null } {
    const rows = meta.all() as { key: string; value: number }[];
    return { max: rows.find((r) => r.key === 'time_max')?.value ?? null, slack: rows.find((r) => r.key === 'time_slack')?.value ?? null };
  }

  /** After a group's rows are inserted (in id order, same transaction): keep max and slack. */
  function noteInserted(times: number[]): void {
    const { max, slack } = readMeta();
    let m = max ?? -Infinity;
    let s = slack ?? 0;
    for (const t of times) {
      if (t < m) s = Math.max(s, m - t);
      else m = t;
    }
    if (m !== max && Number.isFinite(m)) setMeta.run('time_max', m);
    if (s !== slack) setMeta.run('time_slack', s);
  }

  /** Id bounds holding every row received in [from, to); null when nothing can be said. */
  function idBounds(from: number | null, to: number | null): IdBounds | null {
    const { slack } = readMeta();
    if (slack === null) return null; // a database older than the bookkeeping
    const ends = extremes.get() as { lo: number | null; hi: number | null };
    if (ends.lo === null || ends.hi === null) return null;
    const probe = (id: number) => firstFrom.get(id) as { id: number; t: number } | undefined;
    /**
     * The row id in [lo, hi] found by binary search over ids (gaps skipped) for which `good`
     * holds, as low (or high) as the search reaches. Any row with `good` is a correct bound;
     * for rows in time order it is the tightest.
     */
    const search = (lo: number, hi: number, good: (t: number) => boolean, lowest: boolean): number | null => {
      let best: number | null = null;
      while (lo <= hi) {
        const mid = Math.floor((lo + hi) / 2);
        const row = probe(mid);
        if (!row || row.id > hi) {
          hi = mid - 1; // nothing stored in [mid, hi]
        } else if (good(row.t)) {
          best = row.id;
          if (lowest) hi = mid - 1;
          else lo = row.id + 1;
        } else if (lowest) {
          lo = row.id + 1;
        } else {
          hi = mid - 1;
        }
      }
      return best;
    };
    // A row at or after to + slack: no later row can be before `to`.
    const below = to === null ? null : search(ends.lo, ends.hi, (t) => t >= to + slack, true);
    // A row before from - slack: no earlier row can be at or after `from`.
    const above = from === null ? null : search(ends.lo, ends.hi, (t) => t < from - slack, false);
    return { above, below };
  }

  return { noteInserted, idBounds };
}
