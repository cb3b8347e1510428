// The histogram kept on write (issue 15): under field filters the buckets give exactly what
// reading every row gives, after inserts, single and filtered deletes, retention, batched
// roll-ups (issue 12) and the migration of an older database; the API answers from them; the
// sums never read the rows.
import { describe, expect, it } from 'vitest';
import { useTempDbs } from '../helpers/temp-db.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createAttemptStore } from '../../server/store/attempts.ts';
import { createCoverageReads } from '../../server/store/coverage.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { ROLLUP_ROWS } from '../../server/store/rollup.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';
import { createEvent, serializeEvent, type CategoryForm } from '../../server/soveren/events.ts';
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { startTestInspector } from '../helpers/inspector.ts';
import { getJson } from '../helpers/http.ts';

/** user_version of a database written before the histogram migration (the fifth, index 4). */
const SCHEMA_BEFORE_HISTOGRAM = 4;

const tempDb = useTempDbs('si-hist-');

const DAY = 86_400_000;
const FORMS: CategoryForm[] = ['display', 'slug', 'legacy'];
const policy = { tokens: ['tok'], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };

/** `count` varied deliveries spread irregularly over `spanMs` before `now`. */
function records(count: number, now: number, spanMs: number): NewDelivery[] {
  const out: NewDelivery[] = [];
  for (let i = 0; i < count; i++) {
    const type = EVENT_TYPES[(i * 7) % EVENT_TYPES.length]!;
    const body = Buffer.from(serializeEvent(createEvent(type, { seed: 5, index: i, categoryForm: FORMS[i % 3]!, now: new Date(now) })));
    const signature = i % 5 === 0 ? signBody(Buffer.from('other'), 'tok') : signBody(body, 'tok');
    const rawHeaders = ['User-Agent', i % 4 === 0 ? 'curl/8' : 'SoverenWebhook/1.0', 'x-soveren-signature', signature];
    const receivedAt = now - Math.floor(spanMs * ((i * 2654435761) % 1000) / 1000) - (i % 59) * 1000;
    out.push(analyzeRequest({ receivedAt, method: i % 9 === 0 ? 'PUT' : 'POST', url: i % 3 === 0 ? '/hooks/a' : '/', remoteAddress: null, rawHeaders, body }, policy));
  }
  return out;
}

const QUERIES = ['', 'category:data_at_risk', 'category:"Data at risk" event_type:policy_violation', '-sig:valid path:/hooks/*',
  'sensitivity:high -ua:ok', 'method:put category:other category:misconfiguration', 'event_type:nothing_like_this'];
const WIDTHS = [60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, DAY, 3 * DAY];

function expectSameAsRows(store: ReturnType<typeof createDeliveryStore>): void {
  for (const q of QUERIES) {
    for (const w of WIDTHS) {
      const fromBuckets = store.bucketHistogramAt(parseQuery(q), w);
      expect(fromBuckets, `${q} @ ${w}`).toEqual(store.scanHistogramAt(parseQuery(q), w));
    }
  }
}

describe('histogram buckets kept on write', () => {
  it('match the rows under field filters after inserts, deletes and retention', () => {
    const db = openDatabase(tempDb());
    const store = createDeliveryStore(db, { maxDeliveries: 1500 });
    const now = Date.now();
    for (let g = 0; g < 4; g++) store.insertBatch(records(400, now - g * 3 * DAY, 5 * DAY)); // 1,600: 100 pruned
    expect(store.stats().total).toBe(1500);
    expect(store.scanHistogramAt(parseQuery(''), DAY).buckets.length).toBeGreaterThan(10);
    expectSameAsRows(store);

    store.remove(store.list(parseQuery(''), { limit: 1 })[0]!.id);
    expect(store.removeMatching(parseQuery('category:data_at_risk sig:invalid')).length).toBeGreaterThan(0);
    expectSameAsRows(store);
    store.removeMatching(parseQuery(''));
    expect(store.bucketHistogramAt(parseQuery(''), DAY)).toEqual({ bucketMs: DAY, buckets: [] });
    db.close();
  });

  it('roll rows up in batches past a mark; rows past it are read, deletes on either side stay exact', () => {
    const db = openDatabase(tempDb());
    const store = createDeliveryStore(db, { maxDeliveries: 100_000 });
    const mark = () => db.prepare("SELECT value FROM meta WHERE key = 'rollup_through'").pluck().get() as number;
    const bucketSum = () => db.prepare('SELECT coalesce(sum(n), 0) FROM delivery_histogram WHERE level = 60000').pluck().get() as number;
    const now = Date.now();
    // A group commit writes no bucket row: the rows wait past the mark.
    store.insertBatch(records(300, now, 2 * DAY));
    expect(mark()).toBe(0);
    expect(bucketSum()).toBe(0);
    expectSameAsRows(store);
    // Past ROLLUP_ROWS the group that crosses it rolls every row up, in its commit.
    const groups = Math.ceil((ROLLUP_ROWS - 300) / 400);
    for (let g = 0; g < groups; g++) store.insertBatch(records(400, now - g * DAY, 2 * DAY));
    const rolled = 300 + groups * 400;
    expect(mark()).toBe(rolled);
    expect(bucketSum()).toBe(rolled);
    store.insertBatch(records(500, now, 3 * DAY)); // past the mark again
    expect(mark()).toBe(rolled);
    expectSameAsRows(store);
    // Deleting rows in the buckets subtracts them; deleting rows past the mark must not.
    store.remove(5);
    store.remove(rolled + 7);
    expect(store.removeMatching(parseQuery('category:data_at_risk sig:invalid')).length).toBeGreaterThan(0);
    expectSameAsRows(store);
    expect(bucketSum()).toBeLessThan(rolled);
    // Rolling up what is left (the writer does when idle) changes no answer and leaves nothing past the mark.
    const total = store.stats().total;
    expect(store.rollUp()).toBeGreaterThan(0);
    expect(mark()).toBe(store.stats().lastId);
    expect(bucketSum()).toBe(total);
    expectSameAsRows(store);
    expect(store.rollUp()).toBe(0);
    db.close();
  });

  it('sums bucket rows without reading deliveries, and picks the same width as the rows would', () => {
    const db = openDatabase(tempDb());
    const store = createDeliveryStore(db, { maxDeliveries: 10_000 });
    store.insertBatch(records(600, Date.now(), 6 * DAY));
    for (const q of QUERIES.slice(0, 5)) {
      const quick = store.quickHistogram(parseQuery(q), 60);
      expect(quick, q).not.toBeNull();
      expect(quick!.bucketMs).toBe(21_600_000); // 6 days / 60 = 2.4 h, rounded up to a nice width
      expect(quick).toEqual(store.scanHistogramAt(parseQuery(q), quick!.bucketMs));
    }
    // What the buckets cannot answer is left to the rows.
    expect(store.quickHistogram(parseQuery('stripe'), 60)).toBeNull();
    const plans = (db.prepare(`EXPLAIN QUERY PLAN SELECT h.start, sum(h.n) FROM delivery_histogram h
      WHERE h.level = 3600000 AND h.combo IN (SELECT id FROM delivery_combos) GROUP BY 1`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plans).not.toMatch(/\bdeliveries\b/);
    db.close();
  });

  it('are built by the migration for a database written before them', () => {
    const file = tempDb();
    let db = openDatabase(file);
    let store = createDeliveryStore(db, { maxDeliveries: 10_000 });
    store.insertBatch(records(500, Date.now(), 4 * DAY));
    const attempt = { kind: 'replay' as const, target: 'http://127.0.0.1:9/x', durationMs: 1, error: null, at: new Date().toISOString(), responseHeaders: [], responseBody: null };
    createAttemptStore(db).record({ ...attempt, deliveryId: 7, status: 200, ok: true });
    createAttemptStore(db).record({ ...attempt, deliveryId: 7, status: 500, ok: false });
    // Back to the schema before the buckets and outcome columns, as an older version left it.
    db.exec(`DROP TRIGGER deliveries_histogram_delete; DROP TABLE delivery_histogram; DROP TABLE delivery_combos;
      DROP INDEX deliveries_replay; DROP INDEX deliveries_forward; DROP INDEX deliveries_replayed; DROP INDEX deliveries_forwarded; DROP INDEX attempts_status; DROP INDEX attempts_status_class;
      DROP INDEX attempts_kind; DROP INDEX attempts_target; DROP TRIGGER attempts_counts_insert;
      DROP TRIGGER deliveries_attempt_counts_delete; DROP TABLE attempt_counts;
      ALTER TABLE deliveries DROP COLUMN replay_outcome; ALTER TABLE deliveries DROP COLUMN replay_status;
      ALTER TABLE deliveries DROP COLUMN forward_outcome; ALTER TABLE deliveries DROP COLUMN forward_status;
      ALTER TABLE attempts DROP COLUMN status_class; DELETE FROM meta WHERE key IN ('time_max', 'time_slack');
      ALTER TABLE attempts DROP COLUMN signing; ALTER TABLE attempts DROP COLUMN format;
      ALTER TABLE attempts DROP COLUMN edited_body; ALTER TABLE attempts DROP COLUMN edited_sha256;
      ALTER TABLE deliveries DROP COLUMN imported_at; ALTER TABLE check_runs DROP COLUMN source;
      ALTER TABLE deliveries DROP COLUMN combo; DELETE FROM meta WHERE key IN ('rollup_through', 'fts_defer_through', 'fts_stale'); DROP TABLE fts_stale;
      DROP TRIGGER deliveries_title_key_delete; DROP TABLE delivery_title_keys; CREATE INDEX deliveries_title_key ON deliveries (title_key) WHERE title_key IS NOT NULL;
      PRAGMA user_version = ${SCHEMA_BEFORE_HISTOGRAM}`); // the histogram migration and every one after it run again
    db.close();
    db = openDatabase(file);
    store = createDeliveryStore(db, { maxDeliveries: 10_000 });
    expectSameAsRows(store);
    // The outcome columns and attempt counts are filled from the attempts already stored.
    expect(store.list(parseQuery('replay:failed'), { limit: 10 }).map((d) => [d.id, d.replay])).toEqual([[7, { outcome: 'failed', status: 500 }]]);
    expect(createCoverageReads(db).read().attempts.map((a) => [a.kind, a.ok, a.n])).toEqual([['replay', false, 1], ['replay', true, 1]]);
    expect(store.list(parseQuery('after:5d'), { limit: 1000 })).toHaveLength(500);
    store.insertBatch(records(50, Date.now() - DAY, DAY)); // new combinations and known ones alike
    expectSameAsRows(store);
    db.close();
  });

  it('answer GET /api/histogram under field filters as the rows do', async () => {
    const file = tempDb();
    const db = openDatabase(file);
    createDeliveryStore(db, { maxDeliveries: 10_000 }).insertBatch(records(300, Date.now(), 3 * DAY));
    db.close();
    const t = await startTestInspector({ db: file });
    try {
      for (const q of ['', 'category:data_at_risk', '-sig:valid']) {
        const answer = await getJson(`${t.uiUrl}api/histogram?q=${encodeURIComponent(q)}`);
        expect(answer.bucketMs).toBe(21_600_000);
        expect(answer).toEqual(t.inspector.deliveries.scanHistogramAt(parseQuery(q), 21_600_000));
        const total = (answer.buckets as { counts: Record<string, number> }[]).reduce((a, b) => a + Object.values(b.counts).reduce((x, y) => x + y, 0), 0);
        expect(total).toBe((await getJson(`${t.uiUrl}api/facets?q=${encodeURIComponent(q)}`)).total);
      }
    } finally {
      await t.close();
    }
  });
});
