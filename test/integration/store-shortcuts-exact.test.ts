// The store's shortcuts (issue 7) give exactly what the slow way gives: facet counts and
// totals from the counts table equal counting the rows, through inserts, retention and
// deletes; compressed chunks give back every payload byte for byte and none is left behind;
// free-text prefixes expanded to exact terms match the same rows as FTS5's own prefix query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';
import { buildWhere } from '../../server/store/where.ts';
import { createEvents, serializeEvent } from '../../server/soveren/events.ts';
import { signBody } from '../../server/soveren/signature.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempStore(maxDeliveries: number) {
  const dir = mkdtempSync(join(tmpdir(), 'si-perf-store-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'x.db'));
  return { db, store: createDeliveryStore(db, { maxDeliveries }) };
}

const policy = { tokens: ['t'], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
/** A mix of everything the counts key on: all event types and category forms, odd paths, NULLs, bad bodies. */
function records(n: number, offset = 0): NewDelivery[] {
  const events = createEvents({ all: true, count: Math.ceil(n / 29) + 1, seed: offset + 1, categoryForm: offset % 2 ? 'legacy' : 'display' });
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const body = i % 13 === 0 ? Buffer.from([0xff, 0xfe, i & 0xff]) : i % 11 === 0 ? Buffer.alloc(0) : Buffer.from(serializeEvent(events[k]!));
    return analyzeRequest({
      receivedAt: 1_700_000_000_000 + i, method: i % 7 === 0 ? 'PUT' : 'POST', url: i % 5 === 0 ? `/hooks/${i % 3}?x=${i}` : '/',
      remoteAddress: '127.0.0.1', body,
      rawHeaders: ['Host', 'h', 'User-Agent', i % 3 ? 'SoverenWebhook/1.0' : 'curl/8', 'Content-Type', 'application/json',
        ...(i % 4 ? ['x-soveren-signature', signBody(i % 9 ? body : Buffer.from('other'), 't')] : [])],
    }, policy);
  });
}

const FILTERS = ['', 'stripe', 'orders -passport category:data_at_risk', 'category:data_at_risk', 'category:"New data type" event_type:new_data_type', 'category:(none)', '-category:(none)',
  '-sig:valid', 'sensitivity:high ua:ok', 'path:/hooks/*', '-path:/ method:PUT', 'event_type:policy_violation event_type:anomaly_detected'];

/** Facets the slow way: GROUP BY over the rows; a facet whose field the query picks values of is counted without that pick (multi-select). */
function facetsByCounting(db: Db, q: string) {
  const parsed = parseQuery(q);
  const where = buildWhere(parsed);
  const count = (column: string, field: string) => {
    const own = buildWhere({ words: parsed.words, fields: parsed.fields.filter((t) => t.field !== field || t.negate) });
    return db.prepare(`SELECT coalesce(${column}, '(none)') AS value, count(*) AS count FROM deliveries WHERE ${own.sql}
    GROUP BY ${column} ORDER BY count DESC, ${column} LIMIT 100`).all(...own.params) as { value: string; count: number }[];
  };
  return {
    total: db.prepare(`SELECT count(*) FROM deliveries WHERE ${where.sql}`).pluck().get(...where.params),
    category: count('category_facet', 'category'), eventType: count('event_type', 'event_type'), sensitivity: count('sensitivity', 'sensitivity'),
    signature: count('signature', 'sig'), userAgent: count('user_agent', 'ua'), path: count('path', 'path'),
  };
}

function expectCountsExact(db: Db, store: ReturnType<typeof createDeliveryStore>) {
  expect(store.stats().total).toBe(db.prepare('SELECT count(*) FROM deliveries').pluck().get());
  for (const q of FILTERS) expect({ q, ...store.facets(parseQuery(q)) }).toEqual({ q, ...facetsByCounting(db, q) });
}

describe('store shortcuts stay exact', () => {
  it('counts equal counting the rows through inserts, retention and deletes', () => {
    const { db, store } = tempStore(700);
    for (let i = 0; i < 5; i++) store.insertBatch(records(173, i * 173)); // 865 inserted, 165 pruned
    expect(store.stats()).toMatchObject({ total: 700, pruned: 165 });
    expectCountsExact(db, store);
    store.remove(store.stats().lastId);
    store.removeMatching(parseQuery('category:data_at_risk'));
    expectCountsExact(db, store);
    store.removeMatching(parseQuery(''));
    expect(store.stats().total).toBe(0);
    expect(db.prepare('SELECT count(*) FROM delivery_counts').pluck().get()).toBe(0);
  });

  it('gives back every payload byte for byte and leaves no chunk behind', () => {
    const { db, store } = tempStore(300);
    const written = new Map<number, NewDelivery>();
    for (let i = 0; i < 4; i++) {
      const batch = records(120, 1000 + i * 120);
      store.insertBatch(batch).forEach((s, k) => written.set(s.id, batch[k]!));
    }
    const { lastId } = store.stats();
    for (let id = lastId - 299; id <= lastId; id++) {
      const r = written.get(id)!;
      const raw = store.getRaw(id)!;
      expect(raw.body.equals(r.body)).toBe(true);
      expect(raw.headers).toEqual(r.headers);
      const detail = store.get(id)!;
      expect(Buffer.from(detail.bodyBase64, 'base64').equals(r.body)).toBe(true);
      expect(detail.signatureDetail).toEqual(r.signatureDetail);
      expect(detail.findings).toEqual(r.findings);
    }
    expect(store.get(lastId - 300)).toBeUndefined();
    // Chunks of pruned rows are gone; every remaining chunk still has a row.
    expect(db.prepare('SELECT count(*) FROM delivery_bodies WHERE id NOT IN (SELECT body_chunk FROM deliveries)').pluck().get()).toBe(0);
    store.removeMatching(parseQuery(''));
    expect(db.prepare('SELECT count(*) FROM delivery_bodies').pluck().get()).toBe(0);
  });

  it('matches the same rows with expanded prefixes as with FTS5 prefix queries', () => {
    const { db, store } = tempStore(10_000);
    store.insertBatch(records(600));
    const ftsPrefix = (q: string) => {
      const tokens = q.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => `"${w}"*`).join(' AND ');
      return db.prepare('SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? ORDER BY rowid DESC LIMIT 500').pluck().all(tokens);
    };
    for (const q of ['stripe', 'str', 'pass', 'passport', 'checkout pay', 'orders-db', 'acme', 'ema', 'kafka user', 'zzzq', 'Excess', '123']) {
      const ids = store.list(parseQuery(q), { limit: 500 }).map((d) => d.id);
      expect({ q, ids }).toEqual({ q, ids: ftsPrefix(q) });
    }
  });
});
