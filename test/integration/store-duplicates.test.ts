// Duplicates (the first delivery with the same bytes) through the two indexes that find them:
// link_key for bodies with an event link, the partial hash index for the rest (migrations.ts:
// the hash index holds only rows without a link). Real SQLite files; the plans are those of
// the statements insertBatch really runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';

const dir = mkdtempSync(join(tmpdir(), 'si-dups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
const delivery = (body: string) => analyzeRequest({ receivedAt: Date.now(), method: 'POST', url: '/', remoteAddress: null, rawHeaders: [], body: Buffer.from(body) }, policy);
const linked = (id: string, extra = '') => JSON.stringify({ title: 'Leak', time: '2026-12-03T10:00:00Z', event_link: `https://app.soveren.io/events/${id}`, extra });

describe('duplicates', () => {
  it('are found with and without an event link, and differing bytes with one link are not duplicates', () => {
    const db = openDatabase(join(dir, `d${++n}.db`));
    const store = createDeliveryStore(db, { maxDeliveries: 1000 });
    const [a, b, c] = store.insertBatch([delivery(linked('e-1')), delivery('plain text body'), delivery(linked('e-1', 'other bytes'))]);
    expect(a!.duplicateOf).toBeNull();
    expect(b!.duplicateOf).toBeNull();
    expect(c!.duplicateOf).toBeNull(); // same link, other bytes
    const [a2, b2, c2, a3] = store.insertBatch([delivery(linked('e-1')), delivery('plain text body'), delivery(linked('e-1', 'other bytes')), delivery(linked('e-1'))]);
    expect([a2!.duplicateOf, b2!.duplicateOf, c2!.duplicateOf, a3!.duplicateOf]).toEqual([a!.id, b!.id, c!.id, a!.id]);
    db.close();
  });

  it('finds a row stored before link keys existed (no link_key) for a new linked body', () => {
    const db = openDatabase(join(dir, `d${++n}.db`));
    const store = createDeliveryStore(db, { maxDeliveries: 1000 });
    const [old] = store.insertBatch([delivery(linked('e-9'))]);
    db.prepare('UPDATE deliveries SET link_key = NULL WHERE id = ?').run(old!.id); // as an older version stored it
    const [again] = store.insertBatch([delivery(linked('e-9'))]);
    expect(again!.duplicateOf).toBe(old!.id);
    db.close();
  });

  it('are looked up through an index, never by reading the table', () => {
    const db = openDatabase(join(dir, `d${++n}.db`));
    const seen: { sql: string; params: unknown[] }[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (!/^\s*SELECT/i.test(sql)) return statement;
      const get = statement.get.bind(statement);
      return Object.assign(statement, { get: (...params: unknown[]) => (seen.push({ sql, params }), get(...params)) });
    }) as typeof db.prepare;
    try {
      createDeliveryStore(db, { maxDeliveries: 1000 }).insertBatch([delivery(linked('e-2')), delivery('unlinked')]);
    } finally {
      db.prepare = prepare;
    }
    const lookups = seen.filter((s) => /body_sha256 = \?/.test(s.sql));
    expect(lookups.length).toBeGreaterThanOrEqual(3); // linked: both lookups; unlinked: the hash one
    for (const { sql, params } of lookups) {
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan, sql).toMatch(/SEARCH deliveries USING INDEX deliveries_(sha|link_key)/);
    }
    db.close();
  });
});
