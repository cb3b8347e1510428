// What a group commit leaves for later: the histogram's buckets and the title-key index are
// brought up to date in batches, for the rows past a mark (meta 'rollup_through'), every
// ROLLUP_ROWS rows inserted and when the writer is idle. Kept per commit, five bucket upserts
// and a random-keyed index entry per row cost the writer about a WAL page per row at high
// rates (bench/commit-cost.ts); a batch writes each page once. Readers of either add the few
// rows past the mark themselves (a rowid range, NOT INDEXED), so every answer stays exact.
import type { Db } from './db.ts';

/** Rows inserted by one connection before it rolls up. */
export const ROLLUP_ROWS = 2048;

/** The mark as an SQL expression: rows with a greater id are not rolled up yet. */
export const ROLLUP_MARK = "(SELECT value FROM meta WHERE key = 'rollup_through')";

/** Adds the rows with from < id <= to to what it keeps, in the caller's transaction. */
export type RollUpPart = (from: number, to: number) => void;

export function createRollUp(db: Db, parts: readonly RollUpPart[]) {
  const mark = db.prepare(`SELECT ${ROLLUP_MARK}`).pluck();
  const setMark = db.prepare("UPDATE meta SET value = ? WHERE key = 'rollup_through'");
  const lastId = db.prepare('SELECT max(id) FROM deliveries').pluck();
  // Rows this connection inserted since it last rolled up (another writer keeps its own count).
  let since = 0;

  /** Roll every row past the mark up and move the mark; returns how far it moved (ids). */
  const rollUp = db.transaction((): number => {
    since = 0;
    const from = mark.get() as number;
    const to = (lastId.get() as number | null) ?? from;
    if (to <= from) return 0;
    for (const part of parts) part(from, to);
    setMark.run(to);
    return to - from;
  });

  /** After a group's rows are inserted (same transaction): roll up once enough have gathered. */
  function noteInserted(count: number): void {
    since += count;
    if (since >= ROLLUP_ROWS) rollUp();
  }

  return { rollUp, noteInserted };
}
