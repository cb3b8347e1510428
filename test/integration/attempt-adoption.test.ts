// Adopting attempts other processes recorded (stream/after-commit.ts) passes over this
// process's own attempts by id, without reading them back, however many there are, and
// publishes only the others'; while a forwarding batch of ours is being committed, an id not
// announced yet is not taken for another process's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attempt } from '../../server/common/protocol.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createAttemptStore, type NewAttempt } from '../../server/store/attempts.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { startExternalRows, type ExternalRows } from '../../server/stream/after-commit.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { waitUntil } from '../helpers/wait.ts';

const dirs: string[] = [];
const running: ExternalRows[] = [];
afterEach(() => {
  for (const r of running.splice(0)) r.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const attempt = (deliveryId: number, kind: NewAttempt['kind']): NewAttempt => ({
  deliveryId, kind, target: 'hec+http://127.0.0.1:9', status: 200, ok: true, durationMs: 1, error: null, at: new Date().toISOString(), responseHeaders: [], responseBody: null,
});

function setup(committing: () => number) {
  const dir = mkdtempSync(join(tmpdir(), 'si-adopt-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'x.db'));
  const deliveries = createDeliveryStore(db, { maxDeliveries: 1000 });
  const body = Buffer.from('{"title":"x"}');
  const [delivery] = deliveries.insertRows([analyzeRequest({ receivedAt: Date.now(), method: 'POST', url: '/', remoteAddress: null, rawHeaders: [], body }, { tokens: [], requireUserAgent: false, acceptInvalid: true, acceptStatus: 200 })]).ids;
  const store = createAttemptStore(db);
  const published = new Set<number>();
  const adopted: Attempt[] = [];
  let rowsRead = 0;
  const attempts = {
    lastId: store.lastId,
    idsAfter: store.idsAfter,
    listIds: (ids: readonly number[]) => {
      rowsRead += ids.length;
      return store.listIds(ids);
    },
  };
  const hub = {
    publish: () => {},
    lastPublished: Number.MAX_SAFE_INTEGER,
    publishedAttempt: (id: number) => published.has(id),
    adoptAttempts: (recorded: readonly { attempt: Attempt }[], upTo = 0) => {
      for (const r of recorded) if (!published.has(r.attempt.id)) adopted.push(r.attempt);
      for (const id of published) if (id <= upTo) published.delete(id);
    },
  };
  const start = () => {
    const poller = startExternalRows({ deliveries, attempts, hub, pending: () => 0, attemptsCommitting: committing, intervalMs: 5 });
    running.push(poller);
    return poller;
  };
  return { db, store, delivery: delivery!, published, adopted, start, rowsRead: () => rowsRead };
}

describe('adopting attempts of other processes', () => {
  it('passes over 1,200 own attempts by id in one look and reads only the other process’s', async () => {
    const s = setup(() => 0);
    const poller = s.start();
    // Ours: recorded and announced by this process (live forwarding at a high rate).
    for (let i = 0; i < 1200; i++) s.published.add(s.store.record(attempt(s.delivery, 'forward'))!.id);
    const theirs = s.store.record(attempt(s.delivery, 'replay'))!; // the replay CLI's
    const rounds = poller.rounds;
    await waitUntil(() => poller.rounds >= rounds + 1 && s.adopted.length > 0);
    expect(s.adopted.map((a) => a.id)).toEqual([theirs.id]);
    expect(s.rowsRead()).toBe(1);
    expect(s.published.size).toBe(0); // every own id settled
    s.db.close();
  });

  it('stops before an id not announced yet while a batch of ours is being committed', async () => {
    let committing = 1;
    const s = setup(() => committing);
    const poller = s.start();
    const first = s.store.record(attempt(s.delivery, 'forward'))!;
    s.published.add(first.id);
    const unannounced = s.store.record(attempt(s.delivery, 'forward'))!; // ours, its id not back yet
    const rounds = poller.rounds;
    await waitUntil(() => poller.rounds >= rounds + 3);
    expect(s.adopted).toEqual([]);
    expect(s.rowsRead()).toBe(0);
    // Announced, then the batch is done: passed over, never published a second time.
    s.published.add(unannounced.id);
    committing = 0;
    const theirs = s.store.record(attempt(s.delivery, 'replay'))!;
    await waitUntil(() => s.adopted.length > 0);
    expect(s.adopted.map((a) => a.id)).toEqual([theirs.id]);
    s.db.close();
  });
});
