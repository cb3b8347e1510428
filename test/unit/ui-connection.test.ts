// The stream client: resume after the last id, drop overlaps, reconnect with backoff,
// give up on a silent socket, and start over when the server's database went backwards.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliverySummary, OutputSummary, StreamMessage } from '../../server/common/protocol.ts';
import { backoffDelay, createConnection, streamUrl, type ConnectionStatus } from '../../ui/connection.ts';

class FakeSocket {
  static all: FakeSocket[] = [];
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(message: StreamMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}

function summary(id: number): DeliverySummary {
  return {
    id, receivedAt: '', method: 'POST', path: '/', category: null, categoryFacet: null, eventType: null, sensitivity: null,
    title: null, signature: 'unchecked', userAgent: 'ok', size: 0, status: 200, bodyKind: 'empty', refused: null,
    findingCount: 0, duplicateOf: null, replay: null, forward: null,
  };
}

function output(id: number): OutputSummary {
  return {
    id, sink: 'hec', receivedAt: '', transport: 'http', path: '/services/collector/event', deliveryId: null, linkRule: null, linkNote: null,
    title: null, eventType: null, eventTime: null, size: 0, summary: {},
  };
}

function start(since: number, q = '', outputsSince?: number) {
  const messages: StreamMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  const conn = createConnection({
    q,
    since,
    ...(outputsSince !== undefined && { outputsSince }),
    origin: 'ws://ui.test',
    watchdogMs: 45_000,
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  });
  return { conn, messages, statuses, socket: () => FakeSocket.all[FakeSocket.all.length - 1]! };
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('createConnection', () => {
  it('opens with since and q, goes live, and drops overlapping ids', () => {
    const { conn, messages, statuses, socket } = start(5, 'sig:invalid');
    expect(socket().url).toBe('ws://ui.test/api/stream?since=5&q=sig%3Ainvalid');
    socket().send({ type: 'hello', lastId: 9, total: 9, pruned: 0 });
    socket().send({ type: 'delivery', delivery: summary(5) });
    socket().send({ type: 'delivery', delivery: summary(6) });
    socket().send({ type: 'live', lastId: 9 });
    expect(messages.filter((m) => m.type === 'delivery').map((m) => m.type === 'delivery' && m.delivery.id)).toEqual([6]);
    expect(statuses).toEqual(['connecting', 'live']);
    expect(conn.lastId()).toBe(9);
    conn.close();
  });

  it('reconnects with backoff and resumes after the last id seen', () => {
    const { conn, statuses, socket } = start(0);
    socket().send({ type: 'hello', lastId: 0, total: 0, pruned: 0 });
    socket().send({ type: 'live', lastId: 0 });
    socket().send({ type: 'delivery', delivery: summary(3) });
    socket().close();
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    expect(socket().url).toContain('since=3');
    // Still down: the next wait is longer.
    socket().close();
    vi.advanceTimersByTime(700);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(3);
    conn.close();
  });

  it('resumes SIEM outputs after the last output id, each output once', () => {
    const { conn, messages, socket } = start(0, '', 10);
    expect(socket().url).toBe('ws://ui.test/api/stream?since=0&outputsSince=10');
    socket().send({ type: 'live', lastId: 0 });
    socket().send({ type: 'output', output: output(11) });
    socket().send({ type: 'output', output: output(12) });
    socket().close();
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    // Outputs 13 and 14 were committed while the page was disconnected.
    expect(socket().url).toBe('ws://ui.test/api/stream?since=0&outputsSince=12');
    // The server's backlog after 12, then live ones; an overlap (12 again) is dropped.
    for (const id of [12, 13, 14]) socket().send({ type: 'output', output: output(id) });
    socket().send({ type: 'live', lastId: 0 });
    socket().send({ type: 'output', output: output(15) });
    const ids = messages.flatMap((m) => (m.type === 'output' ? [m.output.id] : []));
    expect(ids).toEqual([11, 12, 13, 14, 15]);
    expect(conn.lastOutputId()).toBe(15);
    conn.close();
  });

  it('learns the output cursor from the first output when none was given', () => {
    const { conn, socket } = start(0);
    expect(socket().url).not.toContain('outputsSince');
    socket().send({ type: 'output', output: output(7) });
    socket().close();
    vi.advanceTimersByTime(1000);
    expect(socket().url).toContain('outputsSince=7');
    conn.close();
  });

  it('closes a socket that stays silent past the watchdog', () => {
    const { conn, socket } = start(0);
    const first = socket();
    vi.advanceTimersByTime(30_000);
    first.send({ type: 'heartbeat', at: '' });
    vi.advanceTimersByTime(30_000);
    expect(first.closed).toBe(false);
    vi.advanceTimersByTime(20_000);
    expect(first.closed).toBe(true);
    conn.close();
  });

  it('asks for a resync when the server has fewer deliveries than the page', () => {
    const { conn, messages, socket } = start(50);
    socket().send({ type: 'hello', lastId: 3, total: 3, pruned: 0 });
    expect(messages).toEqual([{ type: 'resync', reason: expect.any(String) }]);
    conn.restart(3);
    expect(socket().url).toContain('since=3');
    conn.close();
  });

  it('does not reconnect after close', () => {
    const { conn } = start(0);
    conn.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('backoffDelay and streamUrl', () => {
  it('doubles from 0.5 s to a 10 s cap, with jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, mid))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(backoffDelay(0, () => 0)).toBe(375);
    expect(backoffDelay(0, () => 1)).toBe(625);
  });
  it('omits an empty q', () => {
    expect(streamUrl('ws://h', 0, '')).toBe('ws://h/api/stream?since=0');
  });
});
