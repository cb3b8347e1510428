// Live forwarding's fast path, on real listeners: a syslog+tcp target gets every message over
// one kept connection (and a new one after the collector hangs up), HTTP-based targets
// (Splunk HEC, Elasticsearch, a webhook) reuse kept-alive connections, and a burst's forward
// attempts, stored in batches on the writer thread, are all in the SQLite file and each on
// the stream exactly once, while rows of other processes are adopted every few ms.
import Database from 'better-sqlite3';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ForwardConfig } from '../../server/sender/forwarder.ts';
import type { StreamMessage } from '../../server/common/protocol.ts';
import { startElasticServer } from '../helpers/elastic-server.ts';
import { startHecServer } from '../helpers/hec-server.ts';
import { startForwardingInspector } from '../helpers/forwarding.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { waitUntil } from '../helpers/wait.ts';
import { startTarget } from './sender-target.ts';

const HEC_TOKEN = 'hec-fast-path-secret';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function inspectorForwardingTo(target: string, extra: Partial<ForwardConfig> = {}, adoptIntervalMs?: number): Promise<TestInspector> {
  const t = await startForwardingInspector(target, { siem: { hecToken: HEC_TOKEN }, ...extra }, adoptIntervalMs !== undefined ? { adoptIntervalMs } : {});
  cleanup.push(() => t.close());
  return t;
}

/** `n` deliveries, `parallel` at a time; resolves with their ids once all are answered 200. */
async function postMany(t: TestInspector, n: number, parallel = 10, tag = 'fast'): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i += parallel) {
    const group = Array.from({ length: Math.min(parallel, n - i) }, async (_, k) => {
      const body = JSON.stringify({ event_type: 'new_data_type', title: `${tag} ${i + k}`, sensitivity: 'High', category: 'Data at risk' });
      const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      return Number(res.headers.get('x-soveren-inspector-id'));
    });
    ids.push(...(await Promise.all(group)));
  }
  return ids;
}

/** A TCP syslog collector counting connections and RFC 6587 octet-counted messages. */
async function startCollector() {
  const messages: string[] = [];
  const sockets: Socket[] = [];
  let closed = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let space = buffered.indexOf(0x20); space > 0; space = buffered.indexOf(0x20)) {
        const len = Number(buffered.subarray(0, space).toString());
        if (buffered.length < space + 1 + len) break;
        messages.push(buffered.subarray(space + 1, space + 1 + len).toString('utf8'));
        buffered = buffered.subarray(space + 1 + len);
      }
    });
    socket.on('close', () => closed++);
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => {
    for (const s of sockets) s.destroy();
    server.close(r);
  }));
  return { port: (server.address() as { port: number }).port, messages, sockets, get closed() { return closed; } };
}

describe('forwarding keeps its connections', () => {
  it('syslog+tcp: one connection carries every message; after the collector hangs up, a new one', async () => {
    const collector = await startCollector();
    const t = await inspectorForwardingTo(`syslog+tcp://127.0.0.1:${collector.port}`);
    const ids = await postMany(t, 30);
    await waitUntil(() => collector.messages.length === 30, { what: '30 syslog messages' });
    expect(collector.sockets).toHaveLength(1);
    expect(new Set(collector.messages.map((m) => /deliveryId="(\d+)"/.exec(m)![1]))).toEqual(new Set(ids.map(String)));

    collector.sockets[0]!.destroy(); // the collector hangs up (an idle timeout, a restart)
    await waitUntil(() => collector.closed === 1, { what: 'the collector to close its side' });
    const [late] = await postMany(t, 1, 1, 'after hang-up');
    await waitUntil(() => collector.messages.length === 31, { what: 'the message after the hang-up' });
    expect(collector.messages[30]).toContain(`deliveryId="${late}"`);
    expect(collector.sockets).toHaveLength(2);
  });

  it('hec+: event batches go over kept-alive connections, at most one per request in flight', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN });
    cleanup.push(() => hec.close());
    const t = await inspectorForwardingTo(`hec+${hec.url}`);
    await postMany(t, 40);
    await waitUntil(() => hec.events.length === 40, { what: '40 HEC events' });
    expect(hec.requests.length).toBeLessThan(40); // batches (forward-batch.test.ts counts them)
    expect(hec.connections).toBeLessThanOrEqual(2); // --forward-concurrency 2
  });

  it('elastic+ and an http(s) webhook target reuse their connections too', async () => {
    const es = await startElasticServer({});
    const hook = await startTarget();
    cleanup.push(() => es.close(), () => hook.close());
    const t = await startTestInspector({ forward: { targets: [`elastic+${es.url}/soveren`, hook.url], token: null, keepSignature: false, failAfterMs: 900_000, concurrency: 2, retries: 0 } });
    cleanup.push(() => t.close());
    await postMany(t, 30);
    await waitUntil(() => (es.indices.get('soveren')?.length ?? 0) === 30 && hook.received.length === 30, { what: '30 documents and 30 webhooks' });
    expect(es.connections).toBeLessThanOrEqual(2);
    expect(hook.connections).toBeLessThanOrEqual(2);
  });
});

describe('forward attempts in batches', () => {
  it('a burst: every attempt is in the SQLite file after shutdown and on the stream exactly once', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN });
    cleanup.push(() => hec.close());
    // Adoption of other processes' rows every 5 ms: a batch committed but not yet announced must not be pushed twice.
    const t = await startTestInspector({
      forward: { targets: [`hec+${hec.url}`], token: null, keepSignature: false, failAfterMs: 900_000, concurrency: 4, retries: 0, siem: { hecToken: HEC_TOKEN } },
      adoptIntervalMs: 5,
    });
    cleanup.push(() => t.close());
    const ws = new WebSocket(new URL('/api/stream', t.uiUrl.replace('http', 'ws')));
    cleanup.push(async () => ws.close());
    const streamed: { deliveryId: number; id: number }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as StreamMessage;
      if (m.type === 'attempt') streamed.push({ deliveryId: m.deliveryId, id: m.attempt.id });
    });
    await new Promise((r) => ws.once('open', r));

    const ids = await postMany(t, 200, 25, 'burst');
    await waitUntil(() => streamed.length >= 200, { what: '200 attempts on the stream', timeoutMs: 15_000 });
    await t.inspector.close(); // the file is read after shutdown; the directory goes in cleanup

    const db = new Database(t.dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT id, delivery_id AS deliveryId, target, ok, status FROM attempts WHERE kind = 'forward' ORDER BY id").all() as
        { id: number; deliveryId: number; target: string; ok: number; status: number }[];
      expect(rows).toHaveLength(200);
      expect(new Set(rows.map((r) => r.deliveryId))).toEqual(new Set(ids));
      expect(rows.every((r) => r.ok === 1 && r.status === 200 && r.target === `hec+${hec.url}`)).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(HEC_TOKEN);
      expect(db.prepare("SELECT count(*) FROM deliveries WHERE forward_outcome = 'ok'").pluck().get()).toBe(200);
      // Each stored attempt was streamed once, with the id it was stored under.
      expect(streamed.map((s) => s.id).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id));
      expect(new Map(streamed.map((s) => [s.id, s.deliveryId]))).toEqual(new Map(rows.map((r) => [r.id, r.deliveryId])));
    } finally {
      db.close();
    }
  });
});
