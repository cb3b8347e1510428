// Forward attempts in batches through the real writer thread and a real SQLite file: the
// tries of one window are one transaction, tries made while it commits form the next, a
// full batch goes at once, each stored attempt is announced once with its id (none for a deleted delivery), and
// the delivery's forward outcome is set in the same transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../server/delivery/new-delivery.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { createAttemptBatch } from '../../server/sender/attempt-batch.ts';
import type { Attempt } from '../../server/common/protocol.ts';
import { openDatabase } from '../../server/store/db.ts';
import type { NewAttempt } from '../../server/store/attempts.ts';
import { startWriter } from '../../server/store/writer.ts';
import { waitUntil } from '../helpers/wait.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
const delivery = (n: number): NewDelivery => analyzeRequest({
  receivedAt: Date.now(), method: 'POST', url: '/', remoteAddress: null, rawHeaders: [],
  body: Buffer.from(JSON.stringify({ event_type: 'new_data_type', title: `batch ${n}` })),
}, policy);
const attempt = (deliveryId: number, ok: boolean, n: number): NewAttempt => ({
  deliveryId, kind: 'forward', target: 'hec+http://127.0.0.1:1', status: ok ? 200 : 503, ok, durationMs: n,
  error: ok ? null : 'Splunk HEC answered 503 (code 9): Server is busy', at: new Date(1_700_000_000_000 + n).toISOString(),
  responseHeaders: [['content-type', 'application/json']], responseBody: ok ? '{"text":"Success","code":0}' : null,
});

async function setUp(maxBatch?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'si-attempt-batch-'));
  const file = join(dir, 'x.db');
  const writer = await startWriter({ file, durability: 'normal', maxDeliveries: 1000 });
  const db = openDatabase(file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => writer.close(), () => db.close());
  const ids = (await writer.insertBatch([delivery(1), delivery(2), delivery(3)])).map((d) => d.id);
  const writes: number[] = [];
  const announced: { deliveryId: number; attempt: Attempt }[] = [];
  const errors: Error[] = [];
  const batch = createAttemptBatch({
    write: (list) => {
      writes.push(list.length);
      return writer.insertAttempts(list);
    },
    onRecorded: (deliveryId, a) => announced.push({ deliveryId, attempt: a }),
    onError: (err) => errors.push(err),
    ...(maxBatch !== undefined && { maxBatch }),
  });
  return { db, ids, batch, writes, announced, errors };
}

describe('forward attempt batches', () => {
  it('stores the tries of one window in one transaction and announces each with its stored id', async () => {
    const { db, ids, batch, writes, announced, errors } = await setUp();
    for (let n = 0; n < 50; n++) batch.add(attempt(ids[n % 3]!, n !== 49, n));
    batch.add(attempt(999_999, true, 50)); // a delivery deleted meanwhile: nothing stored, nothing announced
    expect(batch.pending).toBe(51);
    await batch.flush();
    expect(batch.pending).toBe(0);
    expect(writes).toEqual([51]);
    expect(errors).toEqual([]);

    const rows = db.prepare("SELECT id, delivery_id, ok, status, error, duration_ms FROM attempts WHERE kind = 'forward' ORDER BY id").all() as
      { id: number; delivery_id: number; ok: number; status: number; error: string | null; duration_ms: number }[];
    expect(rows).toHaveLength(50);
    expect(announced.map((a) => [a.deliveryId, a.attempt.id])).toEqual(rows.map((r) => [r.delivery_id, r.id]));
    expect(announced[49]!.attempt).toMatchObject({ ok: false, status: 503, error: 'Splunk HEC answered 503 (code 9): Server is busy', durationMs: 49 });
    // The delivery's latest forward outcome, set in the same transaction (delivery 49 % 3 = 1 failed last).
    const outcomes = db.prepare('SELECT id, forward_outcome FROM deliveries ORDER BY id').raw().all();
    expect(outcomes).toEqual([[ids[0], 'ok'], [ids[1], 'failed'], [ids[2], 'ok']]);
  });

  it('tries made while a batch commits form the next one', async () => {
    const { ids, batch, writes, announced } = await setUp();
    for (let n = 0; n < 5; n++) batch.add(attempt(ids[0]!, true, n));
    await waitUntil(() => writes.length === 1, { what: 'the first batch to go to the writer thread' });
    for (let n = 5; n < 12; n++) batch.add(attempt(ids[1]!, true, n));
    await batch.flush();
    expect(writes).toEqual([5, 7]);
    expect(announced.map((a) => a.attempt.durationMs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a full batch goes without waiting out the window', async () => {
    const { ids, batch, writes } = await setUp(10);
    for (let n = 0; n < 25; n++) batch.add(attempt(ids[2]!, true, n));
    expect(writes).toEqual([10]); // at once, in the same turn
    await batch.flush();
    expect(writes).toEqual([10, 10, 5]);
  });
});
