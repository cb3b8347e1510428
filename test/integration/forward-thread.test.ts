// Live forwarding to a SIEM target maps and sends on a thread of its own, so the receiver's
// event loop never does that work: with the loop blocked (a synchronous spin standing in for a
// busy receiver), a batch already handed over still reaches a collector in another process.
// The thread runs at a lower CPU priority than the receiver (Linux: nice per thread). What
// does not fit a batch's byte limit goes back to the queue in order and is sent next.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../server/sender/deliver.ts';
import { createForwardThread } from '../../server/sender/forward-thread-client.ts';
import { FORWARD_THREAD_NICE } from '../../server/sender/forward-thread-wire.ts';
import type { OutboundResult } from '../../server/sender/http.ts';
import { startHecServer } from '../helpers/hec-server.ts';
import { forwardingState, putForwarding, startForwardingInspector } from '../helpers/forwarding.ts';
import type { TestInspector } from '../helpers/inspector.ts';
import type { ForwardConfig } from '../../server/sender/forwarder.ts';
import { waitUntil } from '../helpers/wait.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

// An RFC 6587 octet-counting syslog collector in its own process: it prints its port, then for
// every message its arrival time (its own clock, the same machine's) and the message.
const COLLECTOR = `
const net = require('node:net');
const server = net.createServer((socket) => {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    const at = Date.now();
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const space = buf.indexOf(0x20);
      if (space < 0) break;
      const len = Number(buf.subarray(0, space).toString());
      if (buf.length < space + 1 + len) break;
      console.log(JSON.stringify({ at, message: buf.subarray(space + 1, space + 1 + len).toString() }));
      buf = buf.subarray(space + 1 + len);
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

interface Collector { port: number; messages: { at: number; message: string }[]; child: ChildProcess }

async function startCollector(): Promise<Collector> {
  const child = spawn(process.execPath, ['-e', COLLECTOR], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.push(async () => {
    child.kill();
  });
  const messages: Collector['messages'] = [];
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve) => {
    lines.on('line', (l) => {
      const m = JSON.parse(l) as { port?: number; at?: number; message?: string };
      if (m.port !== undefined) resolve(m.port);
      else messages.push({ at: m.at!, message: m.message! });
    });
  });
  return { port, messages, child };
}

async function inspector(target: string, extra: Partial<ForwardConfig> = {}): Promise<TestInspector> {
  const t = await startForwardingInspector(target, { batchMs: 0, siem: { hecToken: 'thread-hec' }, ...extra });
  cleanup.push(() => t.close());
  return t;
}

async function post(t: TestInspector, bodies: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const body of bodies) {
    const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    ids.push(Number(res.headers.get('x-soveren-inspector-id')));
  }
  return ids;
}

const event = (title: string, pad = 0) => JSON.stringify({
  event_type: 'policy_violation', title, sensitivity: 'High', category: 'Data at risk', time: '2026-12-03T10:00:00Z',
  event_link: `https://app.soveren.io/events/${title.replace(/\W/g, '-')}`, policy: { name: 'PII to third parties', link: 'https://app.soveren.io/policies/7' },
  sending: { name: 'checkout', link: 'https://app.soveren.io/assets/1' }, receiving: { name: 'stripe.com', link: 'https://app.soveren.io/assets/2' },
  data_types: Array.from({ length: 12 }, (_, i) => ({ name: `type ${i}`, sensitivity: 'High' })), note: 'n'.repeat(pad),
});

const forwarded = async (t: TestInspector) => (await forwardingState(t)).targets[0]!;

/** Nice value of each thread of this process (Linux /proc; field 19 of stat). */
function niceOfThreads(): { tid: number; nice: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      return []; // the thread ended between the listing and the read (an earlier test's, closing)
    }
    return [{ tid: Number(tid), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) }];
  });
}

describe('live forwarding runs on its own thread', () => {
  it('a batch handed over reaches the collector while the receiver\'s event loop is blocked', async () => {
    const collector = await startCollector();
    const t = await inspector(`syslog+tcp://127.0.0.1:${collector.port}`);
    // Warm: the thread is up and connected to the collector.
    await post(t, [event('warm')]);
    await waitUntil(() => collector.messages.length === 1, { what: 'the first message at the collector' });
    // Stored while forwarding is off, then queued again by "Retry failed", which hands the
    // batch over at once (the bytes are read back here; mapping and sending are the thread's).
    expect((await putForwarding(t, { enabled: false })).status).toBe(200);
    const ids = await post(t, Array.from({ length: 300 }, (_, i) => event(`blocked ${i}`, 2000)));
    expect(t.inspector.forwarder.retry(`syslog+tcp://127.0.0.1:${collector.port}`, ids)).toBe(300);
    await Promise.resolve(); // the hand-over is posted from a resolved promise
    await Promise.resolve();
    // Block this event loop (the receiver's) for a second: on the main thread, mapping would wait for it.
    const spinStart = Date.now();
    while (Date.now() - spinStart < 1000) {
      // spin
    }
    const spinEnd = Date.now();
    await waitUntil(() => collector.messages.length === 301, { what: 'all 300 messages at the collector' });
    const batch = collector.messages.slice(1);
    expect(batch.map((m) => /blocked (\d+)/.exec(m.message)?.[1]).map(Number)).toEqual(ids.map((_, i) => i));
    // Mapped to CEF and written while the loop was still blocked.
    expect(batch[0]!.at).toBeLessThan(spinEnd);
    expect(batch.at(-1)!.at).toBeLessThan(spinEnd);
  });

  it('runs at a lower CPU priority than the receiver (Linux)', async () => {
    if (process.platform !== 'linux') return expect(process.platform).not.toBe('linux');
    const hec = await startHecServer({ token: 'thread-hec' });
    cleanup.push(() => hec.close());
    const before = new Set(niceOfThreads().map((x) => x.tid));
    const t = await inspector(`hec+${hec.url}`);
    await post(t, [event('nice')]);
    await waitUntil(async () => (await forwarded(t)).forwarded === 1, { what: 'one delivery forwarded' });
    const main = niceOfThreads().find((x) => x.tid === process.pid)!.nice;
    const added = niceOfThreads().filter((x) => !before.has(x.tid));
    // The new threads: the store's (at the receiver's priority) and forwarding's, lowered.
    expect(added.filter((x) => x.nice === Math.min(19, main + FORWARD_THREAD_NICE))).toHaveLength(1);
    expect(added.filter((x) => x.nice === main).length).toBeGreaterThan(0);
  });

  it('what does not fit a batch\'s byte limit goes back to the head of the queue and is sent next, in order', async () => {
    const hec = await startHecServer({ token: 'thread-hec' });
    cleanup.push(() => hec.close());
    const t = await inspector(`hec+${hec.url}`, { format: 'ecs' });
    expect((await putForwarding(t, { enabled: false })).status).toBe(200);
    // 60 bodies of ~20 KB: about 1.2 MB of bodies; mapped to ECS (the body again in event.original) a HEC request carries 512 KiB at most.
    const ids = await post(t, Array.from({ length: 60 }, (_, i) => event(`big ${i}`, 20_000)));
    expect(t.inspector.forwarder.retry(`hec+${hec.url}`, ids)).toBe(60);
    await waitUntil(async () => (await forwarded(t)).forwarded === 60, { what: '60 deliveries forwarded' });
    expect(hec.requests.length).toBeGreaterThanOrEqual(3);
    for (const r of hec.requests) expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(512 * 1024);
    const titles = hec.events.map((e) => (e as { event: { message: string } }).event.message);
    expect(titles).toEqual(ids.map((_, i) => `big ${i}`));
  });

  it('a batch the thread cannot carry still gives each delivery an outcome: a route not open, or a shutdown mid-try', async () => {
    const logged: string[] = [];
    const thread = createForwardThread((l) => logged.push(l));
    cleanup.push(() => thread.close());
    const raw = (title: string) => ({ body: Buffer.from(event(title)), headers: [] as [string, string][], receivedAt: '2026-12-03T10:00:00.000Z', bodySha256: 'ab'.repeat(32) });
    const results: [number, OutboundResult][] = [];
    const options = { timeoutMs: 5000, policy: DEFAULT_RETRY_POLICY, onResult: (id: number, r: OutboundResult) => results.push([id, r]) };
    const lost = thread.send(12345, [{ id: 1, raw: raw('a') }, { id: 2, raw: raw('b') }], options);
    expect(await lost.taken).toEqual({ sent: [1, 2], unrenderable: [], leftover: [] });
    const outcomes = await lost.done;
    expect([...outcomes.keys()]).toEqual([1, 2]);
    expect(results.map(([id, r]) => [id, r.ok, r.error])).toEqual([[1, false, 'route 12345 is not open'], [2, false, 'route 12345 is not open']]);
    expect(logged).toEqual(['forwarding thread: route 12345 is not open']);

    // A collector that accepts the connection and never reads: the try hangs until the shutdown.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => {
      socket.pause();
      accepted.push(socket);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => {
      for (const socket of accepted) socket.destroy();
      silent.close(r);
    }));
    const url = `syslog+tcp://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const route = thread.open(url, 'cef', {});
    results.length = 0;
    const hanging = thread.send(route, [{ id: 3, raw: raw('c'.repeat(4_000_000)) }], { ...options, timeoutMs: 60_000 });
    expect((await hanging.taken).sent).toEqual([3]);
    await thread.close();
    expect((await hanging.done).get(3)!.map((r) => r.ok)).toEqual([false]);
    expect(results).toHaveLength(1);
    // Its connection could not end gracefully (the collector reads nothing): the thread ends anyway.
    if (process.platform === 'linux') {
      const main = niceOfThreads().find((x) => x.tid === process.pid)!.nice;
      await waitUntil(() => niceOfThreads().every((x) => x.nice !== Math.min(19, main + FORWARD_THREAD_NICE)), { timeoutMs: 10_000, what: 'the forwarding thread gone' });
    }
  });
});
