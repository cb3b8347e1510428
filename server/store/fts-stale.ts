// Pruned deliveries leave the full-text index later: retention runs in the group commit that
// went over the limit, and an FTS5 delete (a tombstone in the contentless index) cost the
// writer about 205 µs per pruned row at a full database, twice what storing the new row
// costs. Their ids wait in fts_stale and leave deliveries_fts when the writer is idle (or in
// a commit, once too many wait). Until then an entry matches no row: free-text queries join
// their matches to deliveries, and ids are never reused (AUTOINCREMENT).
import type { Db } from './db.ts';

/** Stale entries that may wait; past this, each pruning commit also removes twice what it prunes. */
export const FTS_STALE_MAX = 10_000;

export function createStaleFts(db: Db) {
  const mark = db.prepare('INSERT INTO fts_stale (id) SELECT id FROM deliveries WHERE id <= ?');
  const deferThrough = db.prepare("UPDATE meta SET value = max(value, ?) WHERE key = 'fts_defer_through'");
  const addCount = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'fts_stale'");
  const count = db.prepare("SELECT value FROM meta WHERE key = 'fts_stale'").pluck();
  const oldest = db.prepare('SELECT id FROM fts_stale ORDER BY id LIMIT ?').pluck();
  const deleteEntry = db.prepare('DELETE FROM deliveries_fts WHERE rowid = ?');
  const forget = db.prepare('DELETE FROM fts_stale WHERE id <= ?');

  /** Up to `limit` of the oldest stale entries leave the index; returns how many. */
  const clean = db.transaction((limit: number): number => {
    const ids = oldest.all(limit) as number[];
    if (ids.length === 0) return 0;
    for (const id of ids) deleteEntry.run(id);
    forget.run(ids[ids.length - 1]!);
    addCount.run(-ids.length);
    return ids.length;
  });

  return {
    /**
     * Before retention deletes the rows up to `cutoff` (same transaction): their entries are
     * kept for later, and the delete trigger leaves them alone (migrations.ts).
     */
    deferUpTo(cutoff: number): void {
      const n = mark.run(cutoff).changes;
      deferThrough.run(cutoff);
      addCount.run(n);
      if ((count.get() as number) > FTS_STALE_MAX) clean(2 * n);
    },
    clean,
    /** Entries waiting. */
    pending: (): number => count.get() as number,
  };
}
