// Title keys rolled up in batches (issue 12, rollup.ts): SIEM output correlation by title and
// second finds a delivery whether its key is already filed in delivery_title_keys or still
// past the roll-up mark, never one that was deleted, and the migration files the keys of a
// database that kept them in an index.
import { describe, expect, it } from 'vitest';
import { useTempDbs } from '../helpers/temp-db.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { createOutputLinker } from '../../server/store/output-links.ts';
import { ROLLUP_ROWS } from '../../server/store/rollup.ts';
import { titleKeysOf } from '../../server/soveren/event-keys.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';

const tempDb = useTempDbs('si-title-');

const T0 = Date.parse('2026-11-01T10:00:00Z');
const policy = { tokens: [], requireUserAgent: false, acceptInvalid: true, acceptStatus: 200 };
/** Delivery `i`: its own title at its own second, no event link (only the title rule can find it). */
function delivery(i: number): NewDelivery {
  const body = Buffer.from(JSON.stringify({ title: `Finding ${i}`, time: new Date(T0 + i * 1000).toISOString(), event_type: 'policy_violation' }));
  return analyzeRequest({ receivedAt: T0 + i * 1000 + 500, method: 'POST', url: '/', remoteAddress: null, rawHeaders: ['User-Agent', 'SoverenWebhook/1.0'], body }, policy);
}
/** An output of delivery `i` as a connector that kept title and time but dropped the link. */
const outputOf = (i: number) => ({ eventIds: [], linkKeys: [], titleKeys: titleKeysOf(`Finding ${i}`, T0 + i * 1000, [0, -1000, 1000]), bodyHashes: [] });

describe('title keys rolled up in batches', () => {
  it('find deliveries before and past the roll-up mark, and forget deleted ones', () => {
    const db = openDatabase(tempDb());
    const store = createDeliveryStore(db, { maxDeliveries: 100_000 });
    const linker = createOutputLinker(db);
    const filed = () => db.prepare('SELECT count(*) FROM delivery_title_keys').pluck().get() as number;
    const ids: number[] = [];
    for (let i = 0; i < ROLLUP_ROWS + 500; i += 250) ids.push(...store.insertRows(Array.from({ length: Math.min(250, ROLLUP_ROWS + 500 - i) }, (_, k) => delivery(i + k))).ids);
    // The group that crossed ROLLUP_ROWS filed every key up to it; the last rows wait past the mark.
    const mark = db.prepare("SELECT value FROM meta WHERE key = 'rollup_through'").pluck().get() as number;
    expect(mark).toBeGreaterThanOrEqual(ROLLUP_ROWS);
    expect(mark).toBeLessThan(ids[ids.length - 1]!);
    expect(filed()).toBe(mark);
    const probe = [3, ROLLUP_ROWS - 1, ids.length - 2];
    const linked = linker.linkAll(probe.map(outputOf));
    expect(linked.map((l) => [l.deliveryId, l.rule])).toEqual(probe.map((i) => [ids[i], 'title_time']));
    expect(ids[probe[2]!]).toBeGreaterThan(mark); // one found past the mark, by reading the rows

    // Deleted on either side of the mark: no longer found, and its filed key is gone.
    store.remove(ids[3]!);
    store.remove(ids[ids.length - 2]!);
    expect(filed()).toBe(mark - 1);
    expect(linker.linkAll([outputOf(3), outputOf(ids.length - 2)]).map((l) => l.deliveryId)).toEqual([null, null]);

    // Rolling the rest up (the writer does when idle) files them; answers stay the same.
    expect(store.rollUp()).toBeGreaterThan(0);
    expect(filed()).toBe(ids.length - 2);
    expect(linker.linkAll([outputOf(ids.length - 1)]).map((l) => l.deliveryId)).toEqual([ids[ids.length - 1]]);
    db.close();
  });

  it('are filed from the old index by the migration', () => {
    const file = tempDb();
    let db = openDatabase(file);
    const ids = createDeliveryStore(db, { maxDeliveries: 1000 }).insertRows(Array.from({ length: 40 }, (_, i) => delivery(i))).ids;
    // Back to the schema before the roll-up: keys in an index on deliveries, no filed table.
    const version = db.pragma('user_version', { simple: true }) as number;
    db.exec(`DROP TRIGGER deliveries_title_key_delete; DROP TABLE delivery_title_keys;
      CREATE INDEX deliveries_title_key ON deliveries (title_key) WHERE title_key IS NOT NULL;
      DROP TRIGGER deliveries_histogram_delete; ALTER TABLE deliveries DROP COLUMN combo; DELETE FROM meta WHERE key IN ('rollup_through', 'fts_defer_through', 'fts_stale');
      DROP TABLE fts_stale;
      CREATE TRIGGER deliveries_histogram_delete AFTER DELETE ON deliveries BEGIN SELECT 1; END; -- replaced by the migration
      PRAGMA user_version = ${version - 2}`); // the roll-up migration and the one after it run again
    db.close();
    db = openDatabase(file);
    expect(db.prepare('SELECT count(*) FROM delivery_title_keys').pluck().get()).toBe(40);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'deliveries_title_key'").pluck().get()).toBe(0);
    expect(createOutputLinker(db).linkAll([outputOf(7)]).map((l) => l.deliveryId)).toEqual([ids[7]]);
    db.close();
  });
});
