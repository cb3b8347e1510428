// Deliveries by title key (event-keys.ts titleKeyOf: title + second), for SIEM output
// correlation: rolled-up rows are in delivery_title_keys, filled in key order a batch at a
// time (rollup.ts), and the rows past the roll-up mark are read by rowid range.
import type { Db } from './db.ts';
import { ROLLUP_MARK, type RollUpPart } from './rollup.ts';

/** Rows (k: the title key, id, status) of every delivery with one of the keys in the JSON array `@keys`. */
export const DELIVERIES_BY_TITLE_KEY = `SELECT t.title_key AS k, d.id AS id, d.status AS status
    FROM delivery_title_keys t JOIN deliveries d ON d.id = t.id WHERE t.title_key IN (SELECT value FROM json_each(@keys))
  UNION ALL SELECT title_key AS k, id, status FROM deliveries NOT INDEXED
    WHERE id > ${ROLLUP_MARK} AND title_key IN (SELECT value FROM json_each(@keys))`;

/** The roll-up part that files the title keys of rows from < id <= to. */
export function createTitleKeyRollUp(db: Db): RollUpPart {
  const add = db.prepare(`INSERT OR IGNORE INTO delivery_title_keys (title_key, id) SELECT title_key, id FROM deliveries NOT INDEXED
    WHERE id > ? AND id <= ? AND title_key IS NOT NULL ORDER BY title_key, id`);
  return (from, to) => {
    add.run(from, to);
  };
}
