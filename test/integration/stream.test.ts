// /api/stream over a real WebSocket: backlog then live in id order, resume without gaps or
// duplicates, filtered streams, and a stalled client that never stalls ingestion.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { rawRequest } from '../helpers/http.ts';
import { openStream } from '../helpers/stream.ts';
import { waitUntil } from '../helpers/wait.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { createAttemptStore } from '../../server/store/attempts.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';

let t: TestInspector;
beforeEach(async () => {
  // Rows of other processes are looked for every 50 ms here (1 s in serve).
  t = await startTestInspector({ adoptIntervalMs: 50 });
});
afterEach(() => t.close());

const post = (event: Record<string, unknown>) =>
  rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json']], body: JSON.stringify(event) }).then((r) => r.json().id as number);
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('stream', () => {
  it('sends the backlog after since, announces live, then live deliveries in order', async () => {
    for (let i = 0; i < 5; i++) await post({ title: `old ${i}` });
    const client = await openStream(t.uiUrl, { since: '2' });
    await client.waitFor((m) => m.some((x) => x.type === 'live'));
    expect(client.messages[0]).toMatchObject({ type: 'hello', lastId: 5, total: 5 });
    expect(client.deliveryIds()).toEqual([3, 4, 5]);
    await Promise.all([post({ title: 'new a' }), post({ title: 'new b' })]);
    await client.waitFor(() => client.deliveryIds().length === 5);
    expect(client.deliveryIds()).toEqual([3, 4, 5, 6, 7]);
    const live = client.messages.find((m) => m.type === 'delivery' && m.delivery.id === 6);
    expect(live).toMatchObject({ delivery: { title: expect.stringMatching(/^new /), signature: 'unchecked' } });
    await client.close();
  });

  it('without since sends only new deliveries', async () => {
    await post({ title: 'before' });
    const client = await openStream(t.uiUrl);
    await client.waitFor((m) => m.some((x) => x.type === 'live'));
    await post({ title: 'after' });
    await client.waitFor(() => client.deliveryIds().length === 1);
    expect(client.deliveryIds()).toEqual([2]);
    await client.close();
  });

  it('a client that reconnects with its last id misses nothing and sees nothing twice', async () => {
    const first = await openStream(t.uiUrl, { since: '0' });
    const posting = (async () => {
      for (let i = 0; i < 60; i++) await post({ title: `n${i}` });
    })();
    await first.waitFor(() => first.deliveryIds().length >= 20);
    await first.close();
    const seen = first.deliveryIds();
    const last = seen[seen.length - 1]!;
    const second = await openStream(t.uiUrl, { since: String(last) });
    await posting;
    await second.waitFor(() => second.deliveryIds().at(-1) === 60);
    const all = [...seen, ...second.deliveryIds()];
    expect(all).toEqual(range(1, 60));
    await second.close();
  });

  it('keeps id order with no loss or duplicates under concurrent posts', async () => {
    const client = await openStream(t.uiUrl, { since: '0' });
    const ids = await Promise.all(range(1, 400).map((i) => post({ title: `c${i}` })));
    expect(new Set(ids).size).toBe(400);
    await client.waitFor(() => client.deliveryIds().length >= 400);
    expect(client.deliveryIds()).toEqual(range(1, 400));
    await client.close();
  });

  it('a filtered stream only carries matching deliveries, backlog and live', async () => {
    await post({ title: 'a', category: 'Data at risk', event_type: 'anomaly_detected' });
    await post({ title: 'b', category: 'Other', event_type: 'discovery_complete' });
    const client = await openStream(t.uiUrl, { since: '0', q: 'category:data_at_risk' });
    await post({ title: 'c', category: 'Policy violation', event_type: 'policy_violation' });
    await post({ title: 'd', category: 'Other', event_type: 'discovery_complete' });
    await post({ title: 'e', category: 'data_at_risk', event_type: 'policy_violation' });
    await client.waitFor(() => client.deliveryIds().length >= 3);
    expect(client.deliveryIds()).toEqual([1, 3, 5]);
    await client.close();
  });

  it('a stalled client neither stalls ingestion nor loses anything once it reads again', async () => {
    const stalled = await openStream(t.uiUrl, { since: '0' });
    const healthy = await openStream(t.uiUrl, { since: '0' });
    await stalled.waitFor((m) => m.some((x) => x.type === 'live'));
    // Stop reading: the kernel buffers fill, then the server's socket stops draining.
    (stalled.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    const big = 'x'.repeat(8000); // large summaries fill buffers fast
    const t0 = performance.now();
    for (let round = 0; round < 15; round++) {
      await Promise.all(range(1, 100).map((i) => post({ title: `${big}${round}-${i}` })));
    }
    const elapsed = performance.now() - t0;
    await healthy.waitFor(() => healthy.deliveryIds().length >= 1500, 20_000);
    expect(healthy.deliveryIds()).toEqual(range(1, 1500));
    expect(elapsed).toBeLessThan(15_000);
    (stalled.ws as unknown as { _socket: import('node:net').Socket })._socket.resume();
    await stalled.waitFor(() => stalled.deliveryIds().length >= 1500, 20_000);
    expect(stalled.deliveryIds()).toEqual(range(1, 1500));
    await Promise.all([stalled.close(), healthy.close()]);
  });

  it('tells clients about deletions', async () => {
    await post({ title: 'x' });
    const client = await openStream(t.uiUrl, { since: '0' });
    await fetch(new URL('/api/deliveries/1', t.uiUrl), { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: '{}' });
    await client.waitFor((m) => m.some((x) => x.type === 'deleted'));
    expect(client.messages.find((m) => m.type === 'deleted')).toEqual({ type: 'deleted', ids: [1] });
    await client.close();
  });
});

describe('deliveries added by another process', () => {
  it('are pushed to stream clients, in order, and live ones after them keep flowing', async () => {
    await post({ title: 'ours 1' });
    const client = await openStream(t.uiUrl, { since: '0' });
    await client.waitFor(() => client.deliveryIds().length === 1);
    // What `import` does while serve runs: its own connection, its own transaction.
    const other = openDatabase(t.dbPath);
    const store = createDeliveryStore(other, { maxDeliveries: 100_000 });
    const record = (title: string) => analyzeRequest({
      receivedAt: Date.now(), method: 'POST', url: '/imported', remoteAddress: null,
      rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from(JSON.stringify({ title })),
    }, { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 });
    store.insertBatch([record('theirs 2'), record('theirs 3')]);
    other.close();
    await client.waitFor(() => client.deliveryIds().length === 3, 5000);
    await post({ title: 'ours 4' });
    await client.waitFor(() => client.deliveryIds().length === 4);
    expect(client.deliveryIds()).toEqual([1, 2, 3, 4]);
    await client.close();
  });
});

describe('attempts recorded by another process', () => {
  it('are pushed once (the replay CLI), and attempts of this process are not pushed twice', async () => {
    const id = await post({ title: 'replayed' });
    const client = await openStream(t.uiUrl, { since: '0' });
    await client.waitFor(() => client.deliveryIds().length === 1);
    // What `replay` does while serve runs: its own connection records the attempt.
    const other = openDatabase(t.dbPath);
    const theirs = createAttemptStore(other).record({
      deliveryId: id, kind: 'replay', target: 'http://127.0.0.1:9/hook', status: 202, ok: true, durationMs: 3.5,
      error: null, at: new Date().toISOString(), responseHeaders: [['content-type', 'text/plain']], responseBody: 'queued',
    })!;
    other.close();
    const attemptsSeen = () => client.messages.filter((m) => m.type === 'attempt');
    await client.waitFor(() => attemptsSeen().length === 1, 5000);
    expect(attemptsSeen()[0]).toEqual({ type: 'attempt', deliveryId: id, attempt: theirs });

    // One of ours: replayed through the API to our own receiver, pushed once when recorded.
    const res = await fetch(new URL(`/api/deliveries/${id}/replay`, t.uiUrl), {
      method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(t.uiUrl).origin }, body: JSON.stringify({ target: t.receiverUrl }),
    });
    expect(res.status).toBe(200);
    const ours = (await res.json()) as { id: number };
    await client.waitFor(() => attemptsSeen().length === 2);
    // Two more looks for other processes' rows must not push ours a second time.
    const rounds = t.inspector.externalRows.rounds;
    await waitUntil(() => t.inspector.externalRows.rounds >= rounds + 2);
    expect(attemptsSeen().map((m) => m.type === 'attempt' && m.attempt.id)).toEqual([theirs.id, ours.id]);
    await client.close();
  });
});
