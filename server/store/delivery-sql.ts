// What reads and writes of one connection share: a cache of prepared statements for built
// SQL (filters vary, and the same filter comes back many times), the WHERE builder with this
// connection's prefix lookup, and the stored row count.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';
import type { ParsedQuery } from '../common/query.ts';
import { buildWhere as buildWhereSql, MAX_EXPANSION, type SqlWhere } from './where.ts';
import { createTimeBounds } from './time-bounds.ts';

export interface DeliverySql {
  /** The prepared statement for `sql`, prepared once. */
  statement(sql: string): Statement;
  /** WHERE clause for the query; with `separateMatch` the FTS5 expression is returned apart. */
  buildWhere(query: ParsedQuery, separateMatch?: boolean): SqlWhere;
  /** Rows stored. */
  total(): number;
}

export function createDeliverySql(db: Db): DeliverySql {
  // Statements for built SQL (filters vary; the same filter comes back many times: paging,
  // the stream's per-subscriber matching for every group). Least recently built goes first.
  const statements = new Map<string, Statement>();
  function statement(sql: string): Statement {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
      if (statements.size > 256) statements.delete(statements.keys().next().value!);
    }
    return st;
  }

  // Free-text prefixes as exact terms (see where.ts), read from the index's own term list
  // through an fts5vocab table in this connection's temp schema (nothing on disk).
  let vocab: { all(...params: unknown[]): unknown[] } | null | undefined;
  function expandPrefix(prefix: string): string[] | null {
    if (vocab === undefined) {
      try {
        db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.deliveries_fts_vocab USING fts5vocab(main, 'deliveries_fts', 'row')");
        vocab = db.prepare(`SELECT term FROM temp.deliveries_fts_vocab WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANSION + 1}`).pluck();
      } catch {
        vocab = null; // FTS5 answers the prefix itself
      }
    }
    if (!vocab) return null;
    const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return vocab.all(prefix, next) as string[];
  }
  const { idBounds } = createTimeBounds(db);
  const buildWhere = (query: ParsedQuery, separateMatch = false): SqlWhere => buildWhereSql(query, { expandPrefix, separateMatch, idBounds });
  // Kept exact in the same transaction as each insert (insertBatch) and delete (trigger),
  // whichever connection or process made it: no count(*) over a million rows.
  const countAll = db.prepare("SELECT value FROM meta WHERE key = 'count'").pluck();
  const total = () => countAll.get() as number;
  return { statement, buildWhere, total };
}
