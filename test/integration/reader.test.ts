// The reader thread (histogram and free-text facets off the event loop): its read-only
// connection answers exactly what the store answers on the main connection, prefixes
// included, and sees what is committed after it started; the API asks it, and answers from
// the store itself when the thread fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Facets, Histogram } from '../../server/common/protocol.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { createAttemptStore } from '../../server/store/attempts.ts';
import { createReader, QuestionDropped, type Reader } from '../../server/store/reader.ts';
import { createHub } from '../../server/stream/hub.ts';
import { createApiRoutes } from '../../server/api/routes.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';
import { createEvents, serializeEvent } from '../../server/soveren/events.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempStore() {
  const dir = mkdtempSync(join(tmpdir(), 'si-reader-'));
  const file = join(dir, 'x.db');
  const db = openDatabase(file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close());
  return { file, db, store: createDeliveryStore(db, { maxDeliveries: 100_000 }) };
}

const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
function records(n: number, seed: number): NewDelivery[] {
  const events = createEvents({ all: true, count: Math.ceil(n / 29), seed });
  return events.slice(0, n).map((e, i) =>
    analyzeRequest({
      receivedAt: 1_700_000_000_000 + seed * 10_000_000 + i * 37_000, method: 'POST', url: '/', remoteAddress: null,
      rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from(serializeEvent(e)),
    }, policy));
}

function reader(file: string): Reader {
  const r = createReader(file);
  cleanups.push(() => r.close());
  return r;
}

const QUERIES = ['', 'category:data_at_risk', 'pass', 'email -sensitivity:Low', 'event_type:policy_violation stripe', 'nothingmatchesthisword'];

describe('reader thread', () => {
  it('answers the histogram and free-text facets exactly as the store does, and sees later commits', async () => {
    const { file, store } = tempStore();
    store.insertBatch(records(120, 1));
    const r = reader(file);
    for (const q of QUERIES) {
      expect(await r.histogram(parseQuery(q), 60), q).toEqual(store.histogram(parseQuery(q), 60));
      expect(await r.facets(parseQuery(q)), q).toEqual(store.facets(parseQuery(q)));
    }
    expect((await r.facets(parseQuery('pass'))).total).toBeGreaterThan(0); // the prefix found something

    store.insertBatch(records(60, 2));
    const after = await r.facets(parseQuery(''));
    expect(after.total).toBe(180);
    expect(await r.histogram(parseQuery(''), 30)).toEqual(store.histogram(parseQuery(''), 30));
  });

  it('drops a waiting question whose asker went away, and still answers the others in order', async () => {
    const { file, store } = tempStore();
    store.insertBatch(records(60, 4));
    const r = reader(file);
    const gone = new AbortController();
    const order: string[] = [];
    const first = r.histogram(parseQuery(''), 60).then(() => order.push('first'));
    const second = r.facets(parseQuery('email'), gone.signal).then(() => order.push('second'));
    const third = r.facets(parseQuery('email')).then((f) => (order.push('third'), f));
    gone.abort(); // while the first is being answered: the second has not been asked yet
    await expect(second).rejects.toBeInstanceOf(QuestionDropped);
    expect(await third).toEqual(store.facets(parseQuery('email')));
    await first;
    expect(order).toEqual(['first', 'third']);
  });

  it('rejects a question after it has closed, instead of hanging', async () => {
    const { file, store } = tempStore();
    const r = createReader(file);
    expect(await r.facets(parseQuery(''))).toEqual(store.facets(parseQuery(''))); // the thread started
    await r.close();
    await expect(r.histogram(parseQuery(''), 60)).rejects.toThrow(/reader thread/);
  });

  it('rejects a question asked after a close that came before any question', async () => {
    const { file } = tempStore();
    const r = createReader(file);
    await r.close();
    await expect(r.facets(parseQuery(''))).rejects.toThrow(/reader thread: closed/);
  });
});

describe('API with a reader', () => {
  function api(readerImpl: Pick<Reader, 'histogram' | 'facets'>) {
    const { db, store } = tempStore();
    store.insertBatch(records(40, 3));
    const hub = createHub({ store });
    cleanups.push(() => hub.close());
    const routes = createApiRoutes({
      deliveries: store, reader: readerImpl, attempts: createAttemptStore(db), hub, version: 'test',
      receiverUrl: () => 'http://127.0.0.1:1/', uiUrl: () => 'http://127.0.0.1:2/', response: { status: 200, delayMs: 0 },
      info: { tokenCount: 0, requireUserAgent: false, acceptInvalid: false, maxBody: 1024, durability: 'normal' },
    });
    return { store, get: async (path: string) => (await routes.request(path)).json() };
  }
  const marker: Histogram = { bucketMs: 1234, buckets: [] };
  const markerFacets = { total: -1 } as Facets;

  it('asks the reader for the histogram and for free-text facets, and counts field filters itself', async () => {
    const asked: string[] = [];
    const { store, get } = api({
      histogram: async (q) => (asked.push(`histogram ${q.words.length}`), marker),
      facets: async (q) => (asked.push(`facets ${q.words.length}`), markerFacets),
    });
    expect(await get('/api/histogram?q=category:data_at_risk')).toEqual(marker);
    expect(await get('/api/facets?q=email')).toEqual(markerFacets);
    expect(await get('/api/facets?q=category:data_at_risk')).toEqual(store.facets(parseQuery('category:data_at_risk')));
    expect(asked).toEqual(['histogram 0', 'facets 1']);
  });

  it('answers from the store when the reader fails', async () => {
    const broken = async () => Promise.reject(new Error('reader thread exited (1)'));
    const { store, get } = api({ histogram: broken, facets: broken });
    expect(await get('/api/histogram')).toEqual(store.histogram(parseQuery(''), 60));
    expect(await get('/api/facets?q=email')).toEqual(store.facets(parseQuery('email')));
  });
});
