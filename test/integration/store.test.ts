// Durable store: data survives a restart, a newer database is refused with a clear line,
// the pragmas are what the README promises, and filtered listing uses its index.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/db.ts';
import { SCHEMA_VERSION, DatabaseTooNewError } from '../../server/store/migrations.ts';
import { buildWhere } from '../../server/store/where.ts';
import { parseQuery } from '../../server/query/parse.ts';
import { startTestInspector } from '../helpers/inspector.ts';
import { getJson, rawRequest } from '../helpers/http.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-store-'));
  dirs.push(dir);
  return join(dir, 'x.db');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('store', () => {
  it('keeps deliveries across a restart, byte for byte', async () => {
    const t = await startTestInspector();
    try {
      const body = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);
      const { id } = (await rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json']], body })).json();
      await t.restart();
      const detail = await getJson(`${t.uiUrl}api/deliveries/${id}`);
      expect(Buffer.from(detail.bodyBase64, 'base64').equals(body)).toBe(true);
      const next = (await rawRequest(t.receiverUrl, { body: 'x' })).json();
      expect(next.id).toBe(id + 1);
    } finally {
      await t.close();
    }
  });

  it('refuses a database newer than the code, naming the file', () => {
    const file = tempDb();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: database schema version ${SCHEMA_VERSION + 1} is newer`));
  });

  it('uses WAL with an explicit synchronous level', () => {
    const normal = openDatabase(tempDb());
    expect(normal.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(normal.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    normal.close();
    const full = openDatabase(tempDb(), { durability: 'full' });
    expect(full.pragma('synchronous', { simple: true })).toBe(2); // FULL
    full.close();
  });

  it('migrates a fresh database to the current version in one go', () => {
    const db = openDatabase(tempDb());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('lists filtered deliveries through an index, not a table scan', () => {
    const db = openDatabase(tempDb());
    const plan = (q: string) => {
      const where = buildWhere(parseQuery(q));
      const rows = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM deliveries WHERE ${where.sql} AND id < ? ORDER BY id DESC LIMIT 100`)
        .all(...where.params, 1e9) as { detail: string }[];
      return rows.map((r) => r.detail).join(' | ');
    };
    expect(plan('category:data_at_risk event_type:policy_violation')).toMatch(/USING (COVERING )?INDEX deliveries_category \(category_facet=\? AND event_type=\? AND id<\?\)/);
    expect(plan('category:data_at_risk')).toMatch(/USING (COVERING )?INDEX deliveries_category_only/);
    expect(plan('event_type:policy_violation')).toMatch(/USING (COVERING )?INDEX deliveries_event_type/);
    expect(plan('sig:invalid')).toMatch(/USING (COVERING )?INDEX deliveries_signature/);
    for (const q of ['category:data_at_risk', 'event_type:x', 'sensitivity:High', 'path:/a']) {
      expect(plan(q)).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    }
    db.close();
  });
});
