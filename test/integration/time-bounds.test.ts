// after:/before: as id bounds (time-bounds.ts): exact against a brute-force filter when rows
// arrive in time order, when an import adds old rows later and when the clock steps back;
// tight bounds for rows in time order; a filtered page under a time range walks only them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { createTimeBounds } from '../../server/store/time-bounds.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function openTemp() {
  const dir = mkdtempSync(join(tmpdir(), 'si-time-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'x.db'));
  return { db, store: createDeliveryStore(db, { maxDeliveries: 1_000_000 }) };
}

const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
const rec = (receivedAt: number, i: number): NewDelivery =>
  analyzeRequest({ receivedAt, method: 'POST', url: i % 2 ? '/a' : '/b', remoteAddress: null, rawHeaders: [], body: Buffer.from(`{"title":"n${i}"}`) }, policy);

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function expectExact(db: ReturnType<typeof openTemp>['db'], store: ReturnType<typeof openTemp>['store']) {
  const all = db.prepare('SELECT id, received_at AS t, path FROM deliveries ORDER BY id DESC').all() as { id: number; t: number; path: string }[];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const [from, to] of [[T0 + 100 * MIN, T0 + 300 * MIN], [T0 - 10 * MIN, T0 + 5 * MIN], [T0 + 2000 * MIN, null], [null, T0 + 42 * MIN], [T0 + 500 * MIN, T0 + 500 * MIN]] as const) {
    const q = [from !== null && `after:${iso(from)}`, to !== null && `before:${iso(to)}`].filter(Boolean).join(' ');
    const expected = all.filter((r) => (from === null || r.t >= from) && (to === null || r.t < to)).map((r) => r.id);
    expect(store.list(parseQuery(q), { limit: 100_000 }).map((d) => d.id), q).toEqual(expected);
    const withPath = all.filter((r) => r.path === '/a' && (from === null || r.t >= from) && (to === null || r.t < to)).map((r) => r.id);
    expect(store.list(parseQuery(`${q} path:/a`), { limit: 100_000 }).map((d) => d.id), q).toEqual(withPath);
    expect(store.facets(parseQuery(q)).total).toBe(expected.length);
  }
}

describe('time ranges as id bounds', () => {
  it('are exact and tight for rows in time order', () => {
    const { db, store } = openTemp();
    for (let g = 0; g < 30; g++) store.insertBatch(Array.from({ length: 100 }, (_, i) => rec(T0 + (g * 100 + i) * MIN, g * 100 + i)));
    expectExact(db, store);
    const bounds = createTimeBounds(db).idBounds(T0 + 100 * MIN, T0 + 300 * MIN)!;
    // Row k (id k + 1) arrived at T0 + k minutes: ids 101..300 are the range.
    expect(bounds).toEqual({ above: 100, below: 301 });
  });

  it('stay exact when an import adds old rows and when the clock steps back', () => {
    const { db, store } = openTemp();
    store.insertBatch(Array.from({ length: 1000 }, (_, i) => rec(T0 + i * MIN, i)));
    // An import: rows from the past, stored after newer ones.
    store.insertBatch(Array.from({ length: 200 }, (_, i) => rec(T0 - 20 * MIN + ((i * 37) % 600) * MIN, 5000 + i)));
    store.insertBatch(Array.from({ length: 500 }, (_, i) => rec(T0 + (1000 + i) * MIN - (i % 7 === 0 ? 3 * MIN : 0), 9000 + i)));
    expectExact(db, store);
    // Deletes leave the bookkeeping correct (it only ever widens).
    store.removeMatching(parseQuery('path:/b'));
    expectExact(db, store);
  });
});
