// Pruned deliveries leave the full-text index later (store/fts-stale.ts): a free-text search
// never shows a pruned row, its entry is removed by the cleanup, the number waiting stays
// bounded without idle time, and the writer thread removes them when idle.
import { describe, expect, it } from 'vitest';
import { useTempDbs } from '../helpers/temp-db.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { FTS_STALE_MAX } from '../../server/store/fts-stale.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { startTestInspector } from '../helpers/inspector.ts';
import { waitUntil } from '../helpers/wait.ts';

const tempDb = useTempDbs('si-fts-stale-');

const policy = { tokens: [], requireUserAgent: false, acceptInvalid: true, acceptStatus: 200 };
/** Delivery `i`, findable by the word `w<i>`. */
const delivery = (i: number): NewDelivery =>
  analyzeRequest({ receivedAt: Date.now(), method: 'POST', url: '/', remoteAddress: null, rawHeaders: [], body: Buffer.from(JSON.stringify({ title: `Finding w${i}` })) }, policy);
const groups = (from: number, count: number, size: number) =>
  Array.from({ length: Math.ceil(count / size) }, (_, g) => Array.from({ length: Math.min(size, count - g * size) }, (_, k) => delivery(from + g * size + k)));

describe('pruned rows in the full-text index', () => {
  it('match no search while they wait, and leave the index when cleaned', () => {
    const db = openDatabase(tempDb());
    const store = createDeliveryStore(db, { maxDeliveries: 300 });
    for (const g of groups(0, 1000, 100)) store.insertRows(g);
    const inIndex = (word: string) => db.prepare('SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ?').pluck().all(word);
    expect(store.stats().total).toBe(300);
    expect(store.staleFtsPending()).toBe(700);
    // w5 was pruned: its entry is still in the index, but no search shows it.
    expect(inIndex('w5')).toHaveLength(1);
    expect(store.list(parseQuery('w5'), { limit: 10 })).toEqual([]);
    expect(store.facets(parseQuery('w5')).total).toBe(0);
    expect(store.list(parseQuery('w950'), { limit: 10 }).map((d) => d.title)).toEqual(['Finding w950']);

    expect(store.cleanStaleFts(500)).toBe(500);
    expect(store.cleanStaleFts(500)).toBe(200);
    expect(store.cleanStaleFts(500)).toBe(0);
    expect(store.staleFtsPending()).toBe(0);
    expect(inIndex('w5')).toEqual([]);
    expect(inIndex('w950')).toHaveLength(1);
    // A later delete of a live row still removes its entry at once.
    const live = store.list(parseQuery('w960'), { limit: 1 })[0]!;
    store.remove(live.id);
    expect(inIndex('w960')).toEqual([]);
    db.close();
  });

  it('wait in bounded number without idle time: each pruning commit then removes twice what it prunes', () => {
    const db = openDatabase(tempDb());
    const store = createDeliveryStore(db, { maxDeliveries: 500 });
    let most = 0;
    for (const g of groups(0, FTS_STALE_MAX + 3000, 100)) {
      store.insertRows(g);
      most = Math.max(most, store.staleFtsPending());
    }
    // 12,500 pruned: without the bound all of them would wait.
    expect(store.stats().pruned).toBe(FTS_STALE_MAX + 2500);
    expect(most).toBeGreaterThanOrEqual(FTS_STALE_MAX - 100);
    expect(most).toBeLessThanOrEqual(FTS_STALE_MAX);
    expect(store.list(parseQuery('w3'), { limit: 10 })).toEqual([]);
    db.close();
  });

  it('leave the index when the writer thread is idle', async () => {
    const dbPath = tempDb();
    const t = await startTestInspector({ db: dbPath, maxDeliveries: 20 });
    try {
      for (let i = 0; i < 60; i++) {
        const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `Finding w${i}` }) });
        expect(res.status).toBe(200);
      }
      const reader = openDatabase(dbPath, { readonly: true });
      const pending = () => reader.prepare("SELECT value FROM meta WHERE key = 'fts_stale'").pluck().get() as number;
      const pruned = () => reader.prepare("SELECT value FROM meta WHERE key = 'pruned'").pluck().get() as number;
      await waitUntil(() => pruned() === 40 && pending() === 0, { timeoutMs: 10_000, what: 'the 40 pruned rows to leave the full-text index' });
      expect(reader.prepare("SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH 'w1'").pluck().all()).toEqual([]);
      reader.close();
    } finally {
      await t.close();
    }
  });
});
