// Live forwarding to SIEM targets in batches, on real listeners and a real SQLite file: many
// deliveries reach Splunk HEC and Elasticsearch in fewer requests than deliveries, each
// exactly once, and each delivery still has its own stored attempt per try with its own
// outcome: a rejected bulk item fails only its delivery (with Elasticsearch's reason and its
// own item as the answer), throttled items alone are resent, HEC busy (503 code 9) retries the
// batch, a body that is not JSON (or a syslog/UDP message too big for a datagram) fails
// alone, and syslog/TCP messages arrive framed.
import Database from 'better-sqlite3';
import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import parseSyslog from 'nsyslog-parser';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForwardConfig } from '../../server/sender/forwarder.ts';
import { startElasticServer } from '../helpers/elastic-server.ts';
import { startHecServer } from '../helpers/hec-server.ts';
import { forwardingState, startForwardingInspector } from '../helpers/forwarding.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { holdStill, waitUntil } from '../helpers/wait.ts';

const HEC_TOKEN = 'hec-batch-secret';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface StoredAttempt { deliveryId: number; ok: number; status: number | null; error: string | null; responseBody: string | null; format: string | null; signing: string | null }

// A long linger (300 ms) so that deliveries posted together share a batch even on a busy machine.
async function inspectorForwardingTo(target: string, extra: Partial<ForwardConfig> = {}): Promise<TestInspector> {
  const t = await startForwardingInspector(target, { batchMs: 300, siem: { hecToken: HEC_TOKEN }, ...extra });
  cleanup.push(() => t.close());
  return t;
}

/** Post the bodies all at once; their delivery ids, in order. */
async function post(t: TestInspector, bodies: string[]): Promise<number[]> {
  return Promise.all(bodies.map(async (body) => {
    const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    return Number(res.headers.get('x-soveren-inspector-id'));
  }));
}

const event = (title: string) => JSON.stringify({ event_type: 'new_data_type', title, sensitivity: 'High', category: 'Data at risk', time: '2026-12-03T10:00:00Z' });
const titles = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag} ${i}`);

/** Every forward attempt in the SQLite file, read after shutdown (the attempts are committed by then). */
async function storedAttempts(t: TestInspector): Promise<StoredAttempt[]> {
  await t.inspector.close();
  const db = new Database(t.dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT delivery_id AS deliveryId, ok, status, error, response_body AS responseBody, format, signing FROM attempts WHERE kind = 'forward' ORDER BY id").all() as StoredAttempt[];
  } finally {
    db.close();
  }
}

const byDelivery = (rows: StoredAttempt[]) => {
  const m = new Map<number, StoredAttempt[]>();
  for (const r of rows) m.set(r.deliveryId, [...(m.get(r.deliveryId) ?? []), r]);
  return m;
};

describe('SIEM targets get batches', () => {
  it('hec+: 40 deliveries in fewer requests, each event once, each delivery one stored attempt with Splunk\'s answer', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN });
    cleanup.push(() => hec.close());
    const t = await inspectorForwardingTo(`hec+${hec.url}`);
    const sent = titles('hec', 40);
    const ids = await post(t, sent.map(event));
    await waitUntil(async () => (await forwardingState(t)).targets[0]!.forwarded === 40, { what: '40 deliveries forwarded' });
    expect(hec.requests.length).toBeLessThan(40);
    expect(hec.requests.length).toBeGreaterThanOrEqual(1);
    // The soveren payload: each HEC event carries the delivery's own JSON.
    expect(hec.events.map((e) => (e.event as { title: string }).title).sort()).toEqual([...sent].sort());
    const rows = await storedAttempts(t);
    expect(rows).toHaveLength(40);
    expect([...byDelivery(rows).keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const r of rows) {
      expect([r.ok, r.status, r.error, JSON.parse(r.responseBody!)]).toEqual([1, 200, null, { text: 'Success', code: 0 }]);
      expect([r.format, r.signing]).toEqual(['soveren', 'none']);
    }
    expect(JSON.stringify(rows)).not.toContain(HEC_TOKEN);
  });

  it('elastic+: one _bulk carries many documents; a rejected item fails only its delivery, with Elasticsearch\'s reason and its own item', async () => {
    const es = await startElasticServer({ reject: (doc) => (String(doc.message).includes('bad') ? `failed to parse field [soveren.title] in document "${String(doc.message)}"` : null) });
    cleanup.push(() => es.close());
    const t = await inspectorForwardingTo(`elastic+${es.url}/soveren-batch`);
    const good = titles('good', 27);
    const bad = titles('bad', 3);
    const ids = await post(t, [...good, ...bad].map(event));
    await waitUntil(async () => {
      const s = (await forwardingState(t)).targets[0]!;
      return s.forwarded + s.failed === 30;
    }, { what: '30 deliveries settled' });
    expect(es.requests.length).toBeLessThan(30);
    // ECS documents: the message is the title, event.original the exact body.
    const docs = es.indices.get('soveren-batch') ?? [];
    expect(docs.map((d) => d.message).sort()).toEqual([...good].sort());
    const state = (await forwardingState(t)).targets[0]!;
    expect([state.forwarded, state.failed, state.retries]).toEqual([27, 3, 0]);

    const attempts = byDelivery(await storedAttempts(t));
    expect(attempts.size).toBe(30);
    const titleOf = new Map(ids.map((id, i) => [id, [...good, ...bad][i]!]));
    for (const [id, list] of attempts) {
      expect(list).toHaveLength(1);
      const a = list[0]!;
      const item = JSON.parse(a.responseBody!) as { create: { status: number; result?: string; error?: { type: string; reason: string } } };
      if (titleOf.get(id)!.startsWith('bad')) {
        expect([a.ok, a.status]).toEqual([0, 400]);
        expect(a.error).toBe(`Elasticsearch rejected the document: 400 document_parsing_exception: failed to parse field [soveren.title] in document "${titleOf.get(id)}"`);
        expect(item.create).toMatchObject({ status: 400, error: { type: 'document_parsing_exception' } });
      } else {
        expect([a.ok, a.status, a.error]).toEqual([1, 201, null]);
        expect(item.create).toMatchObject({ status: 201, result: 'created', _index: 'soveren-batch' });
      }
    }
  });

  it('elastic+: only the throttled (429) items are sent again, never those already created', async () => {
    const es = await startElasticServer({ throttleItem: (doc, bulk) => bulk === 1 && String(doc.message).startsWith('slow') });
    cleanup.push(() => es.close());
    const t = await inspectorForwardingTo(`elastic+${es.url}/soveren-retry`, { retries: 2, retryBaseMs: 10 });
    const fast = titles('fast', 8);
    const slow = titles('slow', 2);
    const ids = await post(t, [...fast, ...slow].map(event));
    await waitUntil(async () => (await forwardingState(t)).targets[0]!.forwarded === 10, { what: '10 deliveries forwarded' });
    expect(es.requests).toHaveLength(2);
    // The second bulk request carried the two throttled documents and nothing else.
    const resent = es.requests[1]!.body.trim().split('\n').filter((_, i) => i % 2 === 1).map((l) => (JSON.parse(l) as { message: string }).message);
    expect(resent.sort()).toEqual(slow);
    expect((es.indices.get('soveren-retry') ?? []).map((d) => d.message).sort()).toEqual([...fast, ...slow].sort());
    expect((await forwardingState(t)).targets[0]!.retries).toBe(2);

    const attempts = byDelivery(await storedAttempts(t));
    ids.forEach((id, i) => {
      const list = attempts.get(id)!;
      if (i < fast.length) expect(list.map((a) => [a.ok, a.status])).toEqual([[1, 201]]);
      else {
        expect(list.map((a) => [a.ok, a.status])).toEqual([[0, 429], [1, 201]]);
        expect(list[0]!.error).toMatch(/^Elasticsearch rejected the document: 429 es_rejected_execution_exception/);
      }
    });
  });

  it('hec+: busy (503 code 9) then success retries the batch, and each delivery records both tries', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN, busyFor: 1 });
    cleanup.push(() => hec.close());
    const t = await inspectorForwardingTo(`hec+${hec.url}`, { retries: 2, retryBaseMs: 10, batchMs: 1000 });
    const ids = await post(t, titles('busy', 5).map(event));
    await waitUntil(async () => (await forwardingState(t)).targets[0]!.forwarded === 5, { what: '5 deliveries forwarded' });
    expect(hec.requests).toHaveLength(2); // one batch, tried twice
    expect(hec.events).toHaveLength(5);
    expect((await forwardingState(t)).targets[0]!.retries).toBe(5);
    const attempts = byDelivery(await storedAttempts(t));
    for (const id of ids) {
      expect(attempts.get(id)!.map((a) => [a.ok, a.status, a.error])).toEqual([
        [0, 503, 'Splunk HEC answered 503 (code 9): Server is busy'],
        [1, 200, null],
      ]);
    }
  });

  it('a body that is not JSON fails alone; the others of its batch are delivered', async () => {
    const es = await startElasticServer({});
    cleanup.push(() => es.close());
    const t = await inspectorForwardingTo(`elastic+${es.url}/soveren-mixed`);
    const [notJson, ...rest] = await post(t, ['this is { not json', ...titles('fine', 6).map(event)]);
    await waitUntil(async () => {
      const s = (await forwardingState(t)).targets[0]!;
      return s.forwarded + s.failed === 7;
    }, { what: '7 deliveries settled' });
    expect(es.requests).toHaveLength(1);
    expect(es.indices.get('soveren-mixed')).toHaveLength(6);
    const attempts = byDelivery(await storedAttempts(t));
    expect(attempts.get(notJson!)!.map((a) => [a.ok, a.status, a.error])).toEqual([[0, null, `delivery ${notJson} is not a JSON object: it has no SIEM event form`]]);
    for (const id of rest) expect(attempts.get(id)!.map((a) => [a.ok, a.status])).toEqual([[1, 201]]);
  });

  it('syslog+tcp: a batch is one write of octet-counted messages, each parsed by nsyslog-parser', async () => {
    const chunks: Buffer[] = [];
    const sockets: Socket[] = [];
    const server = createServer((s) => {
      sockets.push(s);
      s.on('data', (c: Buffer) => chunks.push(c));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(r);
    }));
    const t = await inspectorForwardingTo(`syslog+tcp://127.0.0.1:${(server.address() as { port: number }).port}`);
    const sent = titles('cef', 20);
    const ids = await post(t, sent.map(event));
    await waitUntil(async () => (await forwardingState(t)).targets[0]!.forwarded === 20, { what: '20 deliveries forwarded' });
    // RFC 6587 3.4.1 octet counting: "MSG-LEN SP SYSLOG-MSG", back to back.
    const messages: string[] = [];
    let rest = Buffer.concat(chunks);
    while (rest.length > 0) {
      const space = rest.indexOf(0x20);
      const len = Number(rest.subarray(0, space).toString());
      messages.push(rest.subarray(space + 1, space + 1 + len).toString('utf8'));
      rest = rest.subarray(space + 1 + len);
    }
    expect(chunks.length).toBeLessThan(20);
    expect(messages).toHaveLength(20);
    const parsed = messages.map((m) => parseSyslog(m));
    expect(parsed.map((p) => [p.appName, p.facility, p.messageid])).toEqual(Array(20).fill(['soveren-inspector', 'local0', 'new_data_type']));
    expect(parsed.map((p) => p.structuredData?.[0]?.$id)).toEqual(Array(20).fill('soveren@32473'));
    expect(parsed.map((p) => Number(p.structuredData?.[0]?.deliveryId)).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(parsed.map((p) => p.cef?.name).sort()).toEqual([...sent].sort());
    const rows = await storedAttempts(t);
    expect(rows.map((r) => [r.ok, r.status, r.error])).toEqual(Array(20).fill([1, null, null]));
  });

  it('syslog+udp: a message too big for a datagram fails alone; the others of its batch are sent, one datagram each', async () => {
    const udp = createSocket('udp4');
    const datagrams: string[] = [];
    udp.on('message', (m) => datagrams.push(m.toString('utf8')));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => udp.close(() => r())));
    const t = await inspectorForwardingTo(`syslog+udp://127.0.0.1:${udp.address().port}`);
    // Over 64 KiB: not kept in the queue, read back from the store when its batch is taken.
    const [big, ...small] = await post(t, [event(`huge ${'x'.repeat(70_000)}`), ...titles('small', 4).map(event)]);
    await waitUntil(async () => {
      const s = (await forwardingState(t)).targets[0]!;
      return s.forwarded + s.failed === 5;
    }, { what: '5 deliveries settled' });
    await waitUntil(() => datagrams.length === 4, { what: '4 datagrams' });
    expect(datagrams.map((d) => parseSyslog(d).cef?.name).sort()).toEqual(titles('small', 4));
    const attempts = byDelivery(await storedAttempts(t));
    expect(attempts.get(big!)!.map((a) => [a.ok, a.error])).toEqual([[0, expect.stringMatching(/^a message of \d{6} bytes does not fit one UDP datagram \(65507 at most\): use syslog\+tcp$/)]]);
    for (const id of small) expect(attempts.get(id)!.map((a) => [a.ok, a.error])).toEqual([[1, null]]);
  });

  it('"Retry failed" resends a SIEM target\'s failed deliveries in a batch, read back from the store', async () => {
    let rejecting = true;
    const es = await startElasticServer({ reject: () => (rejecting ? 'mapper [soveren] cannot be changed' : null) });
    cleanup.push(() => es.close());
    const target = `elastic+${es.url}/soveren-again`;
    const t = await inspectorForwardingTo(target);
    const ids = await post(t, titles('again', 4).map(event));
    // Retry selects the failed ones by search: wait until their attempts are committed.
    const failed = new URL(`/api/deliveries?q=${encodeURIComponent('forward:failed')}`, t.uiUrl);
    await waitUntil(async () => ((await (await fetch(failed)).json()) as { items: unknown[] }).items.length === 4, { what: '4 failed forwards stored' });
    rejecting = false;
    const res = await api(t, 'POST', '/api/forwarding/retry', { target });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { queued: number }).queued).toBe(4);
    await waitUntil(async () => (await forwardingState(t)).targets[0]!.forwarded === 4, { what: '4 deliveries forwarded on retry' });
    expect(es.requests).toHaveLength(2);
    expect(es.indices.get('soveren-again')).toHaveLength(4);
    const attempts = byDelivery(await storedAttempts(t));
    for (const id of ids) expect(attempts.get(id)!.map((a) => [a.ok, a.status])).toEqual([[0, 400], [1, 201]]);
  });

  it('a lone delivery waits out the linger for company, then goes; with batchMs 0 it goes at once', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN });
    cleanup.push(() => hec.close());
    const t = await inspectorForwardingTo(`hec+${hec.url}`, { batchMs: 1000 });
    const posted = Date.now();
    await post(t, [event('alone')]);
    await holdStill(300); // nothing may be sent before the linger is over
    expect(hec.requests).toHaveLength(0);
    await waitUntil(() => hec.events.length === 1, { what: 'the lone event' });
    expect(Date.now() - posted).toBeGreaterThanOrEqual(950);
    const quick = await api(t, 'PUT', '/api/forwarding', { batchMs: 0 });
    expect(quick.status).toBe(200);
    const again = Date.now();
    await post(t, [event('at once')]);
    await waitUntil(() => hec.events.length === 2, { what: 'the second event' });
    expect(Date.now() - again).toBeLessThan(500);
  });

  it('the linger is a forwarding setting: PUT /api/forwarding batchMs, refused out of range', async () => {
    const t = await startTestInspector({});
    cleanup.push(() => t.close());
    expect((await forwardingState(t)).batchMs).toBe(50);
    const ok = await api(t, 'PUT', '/api/forwarding', { batchMs: 0 });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { batchMs: number }).batchMs).toBe(0);
    const bad = await api(t, 'PUT', '/api/forwarding', { batchMs: 60_000 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('batchMs');
    expect((await forwardingState(t)).batchMs).toBe(0);
  });
});

function api(t: TestInspector, method: string, path: string, body: unknown): Promise<Response> {
  return fetch(new URL(path, t.uiUrl), { method, headers: { 'content-type': 'application/json', origin: new URL(t.uiUrl).origin }, body: JSON.stringify(body) });
}
