// Stream under hostile or slow clients: a subscriber that stops reading during a flood of
// 10k deliveries does not make the server hold its frames (memory retained after a forced
// GC is measured in-process), the others still get every delivery, and a 10 MiB client
// message closes only that socket (1009).
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/wait.ts';
import WebSocket from 'ws';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';

const FLOOD = 10_000;
const MiB = 1024 * 1024;
let t: TestInspector;
let streamUrl: string;

beforeAll(async () => {
  t = await startTestInspector();
  streamUrl = t.uiUrl.replace(/^http/, 'ws') + 'api/stream';
});
afterAll(async () => {
  await t.close();
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap and Buffer memory still reachable after full collections: what the process holds on to. */
async function retained(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** A stream subscriber that records the delivery ids it gets. */
function subscribe(url = streamUrl): Promise<{ ws: WebSocket; ids: number[]; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const ids: number[] = [];
  ws.on('message', (m) => {
    const msg = JSON.parse(String(m)) as { type: string; delivery?: { id: number } };
    if (msg.type === 'delivery') ids.push(msg.delivery!.id);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, ids, closed }));
    ws.once('error', reject);
  });
}

/** POST `count` deliveries over 16 keep-alive connections; each title is ~2 KiB so frames are big. */
async function flood(count: number, receiverUrl = t.receiverUrl): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const pad = 'x'.repeat(2048);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const body = JSON.stringify({ title: `flood ${n} ${pad}`, category: 'Other', event_type: 'discovery_complete' });
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(receiverUrl, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
}

const until = (check: () => boolean, ms: number) => waitUntil(check, { timeoutMs: ms, intervalMs: 50 });

describe('slow and hostile stream clients', () => {
  it('a client that stops reading does not grow server memory; others get all 10k', async () => {
    const slow = await subscribe();
    const normal = await subscribe();
    slow.ws.pause(); // stops reading the socket: the server's writes back up
    const before = await retained();
    await flood(FLOOD);
    await until(() => normal.ids.length >= FLOOD, 15_000);
    const held = (await retained()) - before;
    // The reading client got every delivery, in order, once.
    expect(normal.ids.length).toBe(FLOOD);
    expect(normal.ids).toEqual([...normal.ids].sort((a, b) => a - b));
    expect(new Set(normal.ids).size).toBe(FLOOD);
    // ~22 MiB of frames went unread by the paused client; the hub stopped at its 1 MiB
    // high-water mark (plus one backlog page), so only a few MiB are still held.
    expect(held).toBeLessThan(8 * MiB);
    expect(slow.ids.length).toBeLessThan(FLOOD);

    // Once it reads again, the slow client catches up from the store: nothing lost or doubled.
    slow.ws.resume();
    await until(() => slow.ids.length >= FLOOD, 15_000);
    expect(slow.ids).toEqual(normal.ids);
    slow.ws.close();
    normal.ws.close();
  });

  it('a 10 MiB client message closes that socket with 1009 and nobody else', async () => {
    const hostile = await subscribe();
    const other = await subscribe();
    hostile.ws.send(Buffer.alloc(10 * MiB, 'a'));
    expect(await hostile.closed).toBe(1009);
    // The other subscriber is still open and still live.
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    const seen = other.ids.length;
    await flood(3);
    await until(() => other.ids.length >= seen + 3, 5000);
    expect(other.ids.length).toBe(seen + 3);
    other.ws.close();
  });

  it('shutdown is not held open by a client that stopped reading', async () => {
    const other = await startTestInspector();
    try {
      const stuck = await subscribe(other.uiUrl.replace(/^http/, 'ws') + 'api/stream');
      stuck.ws.pause();
      await flood(2000, other.receiverUrl);
      const t0 = performance.now();
      await other.inspector.close();
      // Without a cut, ws would wait 30 s for a close reply that can never come.
      expect(performance.now() - t0).toBeLessThan(3000);
      stuck.ws.resume(); // only a reading client can notice its connection is gone
      expect(await stuck.closed).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});
