// Attempts as they travel in an NDJSON export: every stored column of the attempts table
// (read from the schema, so columns a later migration adds travel without a change here),
// named in camelCase, and back into the table for an imported delivery. Ids are never
// carried: the importing database gives its own.
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import type { ExportedAttempt } from '../common/protocol.ts';

/** Columns that belong to this database, not to the attempt: its id and its delivery's. */
const LOCAL = new Set(['id', 'delivery_id']);

type Scalar = string | number | null;

export const toCamel = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

export type AttemptTransfer = ReturnType<typeof createAttemptTransfer>;

export function createAttemptTransfer(db: Db) {
  // table_xinfo: `hidden` 2 and 3 are generated columns (status_class), which are computed, not carried.
  const info = db.prepare('SELECT name, hidden FROM pragma_table_xinfo(\'attempts\')').all() as { name: string; hidden: number }[];
  const columns = info.filter((c) => c.hidden === 0 && !LOCAL.has(c.name)).map((c) => c.name);
  /** camelCase name -> column, for the columns this database has. */
  const byCamel = new Map(columns.map((c) => [toCamel(c), c]));
  const byDelivery = db.prepare(`SELECT ${columns.join(', ')} FROM attempts WHERE delivery_id = ? ORDER BY id`);
  const setReplay = db.prepare('UPDATE deliveries SET replay_outcome = ?, replay_status = ? WHERE id = ?');
  const setForward = db.prepare('UPDATE deliveries SET forward_outcome = ?, forward_status = ? WHERE id = ?');
  const inserts = new Map<string, Database.Statement<Scalar[]>>();

  /** The delivery's attempts, oldest first, as exported. */
  function exportAttempts(deliveryId: number): ExportedAttempt[] {
    return (byDelivery.all(deliveryId) as Record<string, Scalar>[]).map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[toCamel(c)] = row[c];
      out.ok = row.ok === 1;
      out.at = new Date(row.at as number).toISOString();
      out.responseHeaders = JSON.parse(row.response_headers as string) as unknown;
      return out as ExportedAttempt;
    });
  }

  /**
   * Store checked attempts (import-attempts.ts) for a delivery just imported, in order; a
   * field this database has no column for is left out. Keeps the delivery's latest replay
   * and forward outcome, as recording an attempt does. Returns how many were stored.
   */
  function importAttempts(deliveryId: number, attempts: readonly ExportedAttempt[]): number {
    for (const a of attempts) {
      const values = new Map<string, Scalar>();
      for (const [key, value] of Object.entries(a)) {
        const column = byCamel.get(key);
        if (column === undefined) continue;
        if (key === 'ok') values.set(column, a.ok ? 1 : 0);
        else if (key === 'at') values.set(column, Date.parse(a.at));
        else if (key === 'responseHeaders') values.set(column, JSON.stringify(a.responseHeaders));
        else values.set(column, value as Scalar);
      }
      const names = [...values.keys()];
      const sql = `INSERT INTO attempts (delivery_id, ${names.join(', ')}) VALUES (?${', ?'.repeat(names.length)})`;
      let insert = inserts.get(sql);
      if (!insert) inserts.set(sql, (insert = db.prepare<Scalar[]>(sql)));
      insert.run(deliveryId, ...values.values());
      const latest = a.kind === 'replay' ? setReplay : a.kind === 'forward' ? setForward : null;
      latest?.run(a.ok ? 'ok' : 'failed', a.status, deliveryId);
    }
    return attempts.length;
  }

  return { exportAttempts, importAttempts, columns: () => [...byCamel.keys()] };
}
