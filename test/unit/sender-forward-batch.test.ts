// Taking and sending a SIEM target's batch, without the network: a batch closes at its count or
// byte limit (a delivery that does not fit stays at the head, rendered once), a single large
// message goes alone, a body with no form is set apart, a deleted delivery is skipped; a try's
// per-message items decide which deliveries are sent again.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../server/sender/deliver.ts';
import { sendBatch, takeBatch, type BatchEntry, type QueuedDelivery } from '../../server/sender/forward-batch.ts';
import type { OutboundResult } from '../../server/sender/http.ts';
import type { StoredRaw } from '../../server/sender/replay.ts';
import type { SiemRoute } from '../../server/sender/transports/index.ts';
import type { MessageOutcome, Transport, TransportTry } from '../../server/sender/transports/types.ts';

const stored = (title: string): StoredRaw => ({
  body: Buffer.from(JSON.stringify({ event_type: 'new_data_type', title, sensitivity: 'High' })), headers: [], receivedAt: '2026-12-03T10:00:00.000Z', bodySha256: 'ab'.repeat(32),
});
const queued = (id: number, title = `event ${id}`): QueuedDelivery => ({ id, stored: stored(title), queuedAt: 0 });
const noStore = { getRaw: () => undefined };

/** A transport that answers each try with the next of `answers` and keeps what it was sent. */
function scriptedRoute(answers: ((messages: readonly string[]) => Partial<TransportTry>)[] = []): SiemRoute & { sent: string[][] } {
  const sent: string[][] = [];
  const transport: Transport = {
    async send(messages) {
      sent.push([...messages]);
      const answer = answers[sent.length - 1]?.(messages) ?? {};
      return { status: 200, ok: true, durationMs: 1, error: null, responseHeaders: [], responseBody: null, startedAt: 0, retryAfterMs: null, retryable: false, ...answer };
    },
    close() {},
  };
  return { transport, render: { kind: 'elastic', format: 'soveren' }, sent };
}

describe('takeBatch', () => {
  it('closes at the count limit and leaves the rest queued', async () => {
    const queue = [1, 2, 3, 4, 5].map((id) => queued(id));
    const taken = await takeBatch(queue, scriptedRoute(), noStore, { maxCount: 2, maxBytes: 1 << 20 });
    expect(taken.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(queue.map((q) => q.id)).toEqual([3, 4, 5]);
    expect(JSON.parse(taken.entries[0]!.message)).toMatchObject({ title: 'event 1' });
  });

  it('closes at the byte limit: the delivery that does not fit stays at the head, rendered, and is not read again', async () => {
    const route = scriptedRoute();
    const one = Buffer.byteLength(JSON.stringify(JSON.parse(stored('event 1').body.toString())));
    const queue = [1, 2, 3].map((id) => queued(id));
    const first = await takeBatch(queue, route, noStore, { maxCount: 500, maxBytes: 2 * one + 1 });
    expect(first.entries.map((e) => e.id)).toEqual([1, 2]);
    expect(queue[0]!.id).toBe(3);
    expect(queue[0]!.stored).toBeNull(); // its rendered message is all it keeps
    // Rendered already: taken next time although the store no longer has it.
    const second = await takeBatch(queue, route, noStore, { maxCount: 500, maxBytes: 2 * one + 1 });
    expect(second.entries.map((e) => e.id)).toEqual([3]);
    expect(queue).toHaveLength(0);
  });

  it('a message larger than the byte limit goes alone, never stuck', async () => {
    const queue = [queued(1, 'x'.repeat(5000)), queued(2)];
    const taken = await takeBatch(queue, scriptedRoute(), noStore, { maxCount: 500, maxBytes: 1000 });
    expect(taken.entries.map((e) => e.id)).toEqual([1]);
    expect(queue.map((q) => q.id)).toEqual([2]);
  });

  it('sets apart a body with no form, skips a delivery deleted meanwhile, reads back one not kept in memory', async () => {
    const queue: QueuedDelivery[] = [
      { id: 1, stored: { ...stored(''), body: Buffer.from('not json') }, queuedAt: 0 },
      { id: 2, stored: null, queuedAt: 0 }, // deleted: the store has nothing
      { id: 3, stored: null, queuedAt: 0 }, // large: read back
      queued(4),
    ];
    const store = { getRaw: (id: number) => (id === 3 ? { ...stored('read back'), method: 'POST', path: '/', query: '' } : undefined) };
    const taken = await takeBatch(queue, scriptedRoute(), store, { maxCount: 500, maxBytes: 1 << 20 });
    expect(taken.entries.map((e) => e.id)).toEqual([3, 4]);
    expect(JSON.parse(taken.entries[0]!.message)).toMatchObject({ title: 'read back' });
    expect(taken.unrenderable.map((u) => [u.id, u.result.ok, u.result.error])).toEqual([[1, false, 'delivery 1 is not a JSON object: it has no SIEM event form']]);
  });

  it('a delivery rendered for a route that was replaced is rendered again for the new one', async () => {
    const old = scriptedRoute();
    const queue = [queued(1)];
    queue[0]!.rendered = { route: old, message: 'stale', bytes: 5 };
    const taken = await takeBatch(queue, scriptedRoute(), noStore, { maxCount: 500, maxBytes: 1 << 20 });
    expect(JSON.parse(taken.entries[0]!.message)).toMatchObject({ title: 'event 1' });
  });

  it('maps a backlog in slices, yielding to other work between them', async () => {
    const queue = Array.from({ length: 100 }, (_, i) => queued(i + 1));
    // Other work waiting for the event loop: one callback per turn, counted.
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const taken = await takeBatch(queue, scriptedRoute(), noStore, { maxCount: 500, maxBytes: 1 << 22 });
    counting = false;
    expect(taken.entries).toHaveLength(100);
    expect(turns).toBeGreaterThanOrEqual(6); // 100 renders in slices of 16: the loop turned between them
  });
});

describe('sendBatch', () => {
  const entries = (n: number): BatchEntry[] => Array.from({ length: n }, (_, i) => ({ id: i + 1, message: `m${i + 1}`, results: [] }));
  const policy = { ...DEFAULT_RETRY_POLICY, retries: 3, baseDelayMs: 1, maxDelayMs: 2 };
  const item = (o: Partial<MessageOutcome>): MessageOutcome => ({ ok: true, status: 201, error: null, retryable: false, responseBody: null, ...o });

  it('resends only the items marked retryable, each delivery recording every try of its own', async () => {
    const route = scriptedRoute([
      (m) => ({ ok: false, items: m.map((msg) => (msg === 'm2' ? item({ ok: false, status: 429, error: 'throttled', retryable: true }) : msg === 'm3' ? item({ ok: false, status: 400, error: 'mapping' }) : item({}))) }),
      (m) => ({ items: m.map(() => item({})) }),
    ]);
    const batch = entries(3);
    const recorded: [number, number | null][] = [];
    await sendBatch(route, batch, { timeoutMs: 1000, policy, onResult: (id, r: OutboundResult) => recorded.push([id, r.status]) });
    expect(route.sent).toEqual([['m1', 'm2', 'm3'], ['m2']]);
    expect(batch.map((e) => e.results.map((r) => [r.ok, r.status, r.error]))).toEqual([
      [[true, 201, null]],
      [[false, 429, 'throttled'], [true, 201, null]],
      [[false, 400, 'mapping']],
    ]);
    expect(recorded).toEqual([[1, 201], [2, 429], [3, 400], [2, 201]]);
  });

  it('without items every delivery shares the try: a retryable failure resends the whole batch, up to the policy', async () => {
    const busy = () => ({ status: 503, ok: false, error: 'busy', retryable: true });
    const route = scriptedRoute([busy, busy, busy, busy]);
    const batch = entries(2);
    await sendBatch(route, batch, { timeoutMs: 1000, policy, onResult: () => {} });
    expect(route.sent).toHaveLength(4); // 1 + 3 retries
    expect(batch.map((e) => e.results.map((r) => r.status))).toEqual([[503, 503, 503, 503], [503, 503, 503, 503]]);
  });
});
