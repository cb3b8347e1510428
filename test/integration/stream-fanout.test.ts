// The stream hub's fan-out over real ws sockets and a real store: each summary of a group is
// serialised once and the very same bytes go to every client, only through the sockets'
// public API (send, bufferedAmount; cork/uncork on the TCP socket the upgrade handed over),
// and a client that stops reading is no longer sent to once it holds more than the
// high-water mark, then catches up from the store without gaps or repeats.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { EMPTY_QUERY } from '../../server/common/query.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore, type DeliveryStore } from '../../server/store/deliveries.ts';
import { createHub, type Hub } from '../../server/stream/hub.ts';
import type { DeliverySummary } from '../../server/common/protocol.ts';

const HIGH_WATER = 64 * 1024;
const PAGE = 50;

/** Every property the hub reads on an object, and what it passed to `send` (with the bytes then buffered). */
interface Probe<T extends object> {
  proxy: T;
  keys: Set<PropertyKey>;
  sends: { data: unknown; bufferedBefore: number }[];
}

function probe<T extends object>(target: T): Probe<T> {
  const keys = new Set<PropertyKey>();
  const sends: Probe<T>['sends'] = [];
  const proxy = new Proxy(target, {
    get(obj, key) {
      keys.add(key);
      const value = Reflect.get(obj, key, obj) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'send') {
        return (data: unknown, ...rest: unknown[]) => {
          sends.push({ data, bufferedBefore: (obj as { bufferedAmount: number }).bufferedAmount });
          return (value as (...a: unknown[]) => unknown).call(obj, data, ...rest);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(obj); // ws's own internals run on the real object
    },
  });
  return { proxy, keys, sends };
}

interface Client {
  ws: WebSocket;
  raw: Buffer[];
  ids: () => number[];
  socketProbe: Probe<WebSocket>;
  connectionProbe: Probe<object>;
}

let dir: string;
let store: DeliveryStore;
let closeDb: () => void;
let hub: Hub;
let server: Server;
let wss: WebSocketServer;
let port: number;
const accepted: { socket: Probe<WebSocket>; connection: Probe<object> }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'si-fanout-'));
  const db = openDatabase(join(dir, 'fanout.db'));
  closeDb = () => db.close();
  store = createDeliveryStore(db, { maxDeliveries: 100_000 });
  hub = createHub({ store, highWater: HIGH_WATER, pageSize: PAGE, heartbeatMs: 0 });
  wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server = createServer();
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const entry = { socket: probe(ws), connection: probe(socket as object) };
      accepted.push(entry);
      const unsubscribe = hub.subscribe(entry.socket.proxy, { query: EMPTY_QUERY, connection: entry.connection.proxy as never });
      ws.on('close', unsubscribe);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  hub.close();
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  closeDb();
  rmSync(dir, { recursive: true, force: true });
  accepted.length = 0;
});

async function connect(): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  const raw: Buffer[] = [];
  let live!: () => void;
  const isLive = new Promise<void>((r) => (live = r));
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString('utf8')) as { type: string };
    if (m.type === 'delivery') raw.push(data);
    else if (m.type === 'live') live();
  });
  await isLive;
  const entry = accepted.at(-1)!;
  const ids = () => raw.map((b) => (JSON.parse(b.toString('utf8')) as { delivery: { id: number } }).delivery.id);
  return { ws, raw, ids, socketProbe: entry.socket, connectionProbe: entry.connection };
}

let seq = 0;
/** Commit `n` deliveries (titles padded to `pad` chars) as one group, not yet published. */
function commitGroup(n: number, pad = 0): DeliverySummary[] {
  const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
  const records = Array.from({ length: n }, () =>
    analyzeRequest({
      receivedAt: Date.now(), method: 'POST', url: '/fanout', remoteAddress: null, rawHeaders: ['Content-Type', 'application/json'],
      body: Buffer.from(JSON.stringify({ title: `fan-out ${++seq} ${'x'.repeat(pad)}`, category: 'Other', event_type: 'discovery_complete' })),
    }, policy));
  return store.insertBatch(records);
}

/** Commit and publish one group, as the ingest queue does after a commit. */
function publishGroup(n: number, pad = 0): number[] {
  const summaries = commitGroup(n, pad);
  hub.publish(summaries);
  return summaries.map((s) => s.id);
}

function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return vi.waitFor(() => {
    if (!condition()) throw new Error(`not yet: ${what}`);
  }, { timeout: timeoutMs, interval: 10 });
}

describe('stream fan-out', () => {
  it('serialises each summary once per group and sends the same bytes to every client', async () => {
    const clients: Client[] = [];
    for (let i = 0; i < 5; i++) clients.push(await connect());
    const group = commitGroup(20);
    const ids = group.map((s) => s.id);
    const stringify = vi.spyOn(JSON, 'stringify');
    hub.publish(group);
    const serialisations = stringify.mock.calls.length;
    stringify.mockRestore();
    // One JSON.stringify per summary for all five clients (not one per client).
    expect(serialisations).toBe(20);

    await until(() => clients.every((c) => c.raw.length === 20), 'every client has the group');
    for (const c of clients) {
      expect(c.ids()).toEqual(ids);
      expect(c.raw.map((b) => b.toString('hex'))).toEqual(clients[0]!.raw.map((b) => b.toString('hex')));
    }
    // Server side: delivery i went to all five sockets as one and the same Buffer object.
    const delivered = clients.map((c) => c.socketProbe.sends.slice(-20).map((s) => s.data));
    for (let i = 0; i < 20; i++) {
      expect(new Set(delivered.map((d) => d[i])).size).toBe(1);
      expect(Buffer.isBuffer(delivered[0]![i])).toBe(true);
    }
    // Only the public surface was touched: no ws internals, no socket internals.
    for (const c of clients) {
      expect([...c.socketProbe.keys].filter((k) => !['send', 'bufferedAmount', 'close'].includes(String(k)))).toEqual([]);
      expect([...c.connectionProbe.keys].sort()).toEqual(['cork', 'uncork']);
    }
    await Promise.all(clients.map((c) => new Promise((r) => { c.ws.once('close', r); c.ws.close(); })));
  });

  it('stops sending to a client that does not read, then catches it up from the store, once each and in order', async () => {
    const fast = await connect();
    const slow = await connect();
    slow.ws.pause(); // ws's public API: stop reading from the socket
    const all: number[] = [];
    // 4 KiB frames: far more than the kernel's socket buffers hold between the two ends.
    for (let g = 0; g < 40; g++) all.push(...publishGroup(100, 4096));
    await until(() => fast.raw.length === all.length, 'the fast client has everything', 30_000);
    expect(fast.ids()).toEqual(all);

    // The hub stopped while the slow client held more than the high-water mark: what it
    // buffered for it stayed within that mark plus one backlog page, and it was not sent
    // everything (the rest waits in the store).
    const sends = slow.socketProbe.sends.filter((s) => Buffer.isBuffer(s.data) || String(s.data).includes('"delivery"'));
    expect(sends.length).toBeLessThan(all.length);
    const frame = Math.max(...fast.raw.map((b) => b.length)) + 10;
    expect(Math.max(...sends.map((s) => s.bufferedBefore))).toBeLessThanOrEqual(HIGH_WATER + PAGE * frame);

    slow.ws.resume();
    await until(() => slow.raw.length >= all.length, 'the slow client caught up', 30_000);
    expect(slow.ids()).toEqual(all);
    for (const c of [fast, slow]) expect([...c.socketProbe.keys].filter((k) => !['send', 'bufferedAmount', 'close'].includes(String(k)))).toEqual([]);
  });
});

describe('hub source', () => {
  it('names no private field of ws or of a socket', () => {
    const source = readFileSync(new URL('../../server/stream/hub.ts', import.meta.url), 'utf8');
    expect(source.match(/\.\s*_[A-Za-z]|\[['"]_[A-Za-z]/g) ?? []).toEqual([]);
  });
});
