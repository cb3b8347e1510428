// FTS merges wait for an idle writer (issue 7, ingest p99): during a run of small group
// commits the index keeps its new segments unmerged, so no acknowledged commit pays for a
// merge; once the writer has been idle for a moment it merges them, and every search finds
// exactly the same rows before, during and after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/wait.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { startWriter } from '../../server/store/writer.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';
import { createEvents, serializeEvent } from '../../server/soveren/events.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
function records(n: number, seed: number): NewDelivery[] {
  return createEvents({ all: true, count: Math.ceil(n / 29), seed }).slice(0, n).map((e) =>
    analyzeRequest({ receivedAt: Date.now(), method: 'POST', url: '/', remoteAddress: null, rawHeaders: [], body: Buffer.from(serializeEvent(e)) }, policy));
}

describe('writer thread FTS merges', () => {
  it('leaves merging out of the commits of a burst and does it once idle, with the same search results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-merge-'));
    const file = join(dir, 'x.db');
    const db = openDatabase(file);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => db.close());
    const writer = await startWriter({ file, durability: 'normal', maxDeliveries: 100_000 });
    cleanups.push(() => writer.close());
    const store = createDeliveryStore(db, { maxDeliveries: 100_000 });
    const config = Object.fromEntries(db.prepare('SELECT k, v FROM deliveries_fts_config').raw().all() as [string, unknown][]);
    expect(config).toMatchObject({ automerge: 0, crisismerge: 32 });

    // FTS5's structure record lists every segment: it grows with unmerged segments.
    const structureBytes = () => db.prepare('SELECT length(block) FROM deliveries_fts_data WHERE id = 10').pluck().get() as number;
    const searches = ['email', 'pass', 'category:data_at_risk bucket', '-sig:valid stripe'];
    const answers = () => searches.map((q) => store.list(parseQuery(q), { limit: 500 }).map((d) => d.id));

    const empty = structureBytes();
    for (let g = 0; g < 24; g++) await writer.insertBatch(records(3, g + 1)); // 24 commits in a row, no pause
    const afterBurst = structureBytes();
    const during = answers();
    expect(afterBurst).toBeGreaterThan(empty + 24 * 2); // 24 segments, none merged into another

    await waitUntil(() => structureBytes() < afterBurst / 2, { timeoutMs: 10_000, intervalMs: 50, what: 'the idle-time merge' });
    expect(structureBytes()).toBeLessThan(afterBurst / 2);
    expect(answers()).toEqual(during);
    expect(during.flat().length).toBeGreaterThan(0);
  });
});
