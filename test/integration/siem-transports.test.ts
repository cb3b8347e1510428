// SIEM transports against servers that answer as the vendors document: Splunk HEC (token code
// table, busy 503 code 9 and 429 retried, indexer acknowledgement) and Elasticsearch _bulk
// (per-item status and reason, 429 retried, ApiKey or basic auth), through the shared retry loop.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryTries } from '../../server/sender/deliver.ts';
import { createElasticTransport } from '../../server/sender/transports/elastic.ts';
import { createHecTransport } from '../../server/sender/transports/hec.ts';
import type { Transport, TransportTry } from '../../server/sender/transports/types.ts';
import { startElasticServer, type ElasticServer } from '../helpers/elastic-server.ts';
import { startHecServer, type HecServer } from '../helpers/hec-server.ts';

const policy = { ...DEFAULT_RETRY_POLICY, retries: 3, baseDelayMs: 10, maxDelayMs: 50 };
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
const keep = <T extends { close(): Promise<void> }>(s: T): T => (servers.push(s), s);

function deliver(t: Transport, messages: string[]): Promise<TransportTry[]> {
  return retryTries((signal) => t.send(messages, { timeoutMs: 5000, ...(signal && { signal }) }), (r) => r.retryable, { policy });
}
const envelope = (n: number) => JSON.stringify({ time: 1700000000.123 + n, source: 'soveren', sourcetype: 'soveren:event', event: { n, title: 'a "quoted" {brace}' } });

describe('Splunk HEC transport', () => {
  const hec = (s: HecServer, token = 'hec-secret', ack = false) => createHecTransport({ base: s.url, token, ack, ackPollMs: 10 });

  it('sends a batch as concatenated JSON objects with Authorization: Splunk <token>', async () => {
    const s = keep(await startHecServer({ token: 'hec-secret' }));
    const tries = await deliver(hec(s), [envelope(1), envelope(2), envelope(3)]);
    expect(tries.map((t) => [t.status, t.ok])).toEqual([[200, true]]);
    expect(s.requests[0]!.headers.authorization).toBe('Splunk hec-secret');
    expect(s.events.map((e) => (e.event as { n: number }).n)).toEqual([1, 2, 3]);
    expect(JSON.parse(tries[0]!.responseBody!)).toEqual({ text: 'Success', code: 0 });
  });

  it.each([
    ['a wrong token', { token: 'right' }, 'wrong', 'Splunk HEC answered 403 (code 4): Invalid token'],
    ['a disabled token', { token: 'hec-secret', disabled: true }, 'hec-secret', 'Splunk HEC answered 403 (code 1): Token disabled'],
  ])('fails at once on %s with Splunk\'s own text, never retried, never naming the token', async (_name, opts, token, error) => {
    const s = keep(await startHecServer(opts));
    const tries = await deliver(hec(s, token), [envelope(1)]);
    expect(tries).toHaveLength(1);
    expect(tries[0]!.ok).toBe(false);
    expect(tries[0]!.error).toBe(error);
    expect(JSON.stringify(tries)).not.toContain(token === 'wrong' ? 'wrong' : 'hec-secret');
    expect(s.events).toHaveLength(0);
  });

  it('retries busy (503 code 9) and 429 with backoff until Splunk accepts', async () => {
    const s = keep(await startHecServer({ token: 't', busyFor: 2, throttleFor: 1 }));
    const tries = await deliver(hec(s, 't'), [envelope(1)]);
    expect(tries.map((t) => t.status)).toEqual([503, 503, 429, 200]);
    expect(tries[0]!.error).toBe('Splunk HEC answered 503 (code 9): Server is busy');
    expect(tries[3]!.ok).toBe(true);
    expect(s.events).toHaveLength(1);
  });

  it('answers a data error (code 12) at once with Splunk\'s text', async () => {
    const s = keep(await startHecServer({ token: 't' }));
    const tries = await deliver(hec(s, 't'), [JSON.stringify({ fields: {} })]);
    expect(tries.map((t) => [t.status, t.error])).toEqual([[400, 'Splunk HEC answered 400 (code 12): Event field is required']]);
  });

  it('a data error in a batch names the event Splunk gave as invalid-event-number; none is retried', async () => {
    const s = keep(await startHecServer({ token: 't' }));
    const tries = await deliver(hec(s, 't'), [envelope(1), JSON.stringify({ fields: {} }), envelope(3)]);
    expect(tries).toHaveLength(1);
    const error = 'Splunk HEC answered 400 (code 12): Event field is required';
    expect(tries[0]!.items!.map((i) => [i.ok, i.status, i.error, i.retryable])).toEqual([
      [false, 400, `${error} (event 2 of 3 in the request, not this one; the request was refused as a whole)`, false],
      [false, 400, `${error} (this event: number 2 of 3 in the request)`, false],
      [false, 400, `${error} (event 2 of 3 in the request, not this one; the request was refused as a whole)`, false],
    ]);
  });

  it('with acknowledgement, sends a channel and counts the delivery only once /ack says indexed', async () => {
    const s = keep(await startHecServer({ token: 't', ack: true, ackAfterPolls: 3 }));
    const tries = await deliver(hec(s, 't', true), [envelope(1)]);
    expect(tries.map((t) => t.ok)).toEqual([true]);
    expect(s.ackPolls).toBe(3);
    const channels = new Set(s.requests.map((r) => r.headers['x-splunk-request-channel']));
    expect(channels.size).toBe(1);
    expect([...channels][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(s.requests.map((r) => r.body).slice(1)).toEqual(Array(3).fill('{"acks":[0]}'));
  });

  it('with acknowledgement asked of a token without it, fails saying so', async () => {
    const s = keep(await startHecServer({ token: 't' }));
    const tries = await deliver(hec(s, 't', true), [envelope(1)]);
    expect(tries[0]!.ok).toBe(false);
    expect(tries[0]!.error).toMatch(/no ackId: indexer acknowledgement is off/);
  });

  it('gives up waiting for an acknowledgement that never comes', async () => {
    const s = keep(await startHecServer({ token: 't', ack: true, ackAfterPolls: 1_000_000 }));
    const t = createHecTransport({ base: s.url, token: 't', ack: true, ackPollMs: 10, ackTimeoutMs: 200 });
    const tries = await deliver(t, [envelope(1)]);
    expect(tries.map((x) => [x.ok, x.error])).toEqual([[false, 'no acknowledgement from Splunk for ackId 0 within 200 ms']]);
  });
});

describe('Elasticsearch transport', () => {
  const docs = [JSON.stringify({ '@timestamp': '2026-01-01T00:00:00Z', message: 'one' }), JSON.stringify({ '@timestamp': '2026-01-01T00:00:01Z', message: 'two' })];

  it('posts NDJSON create actions ending in a newline, with ApiKey auth, and reads every item', async () => {
    const s: ElasticServer = keep(await startElasticServer({ apiKey: 'a2V5OnNlY3JldA==' }));
    const tries = await deliver(createElasticTransport({ base: s.url, index: 'soveren-events', apiKey: 'a2V5OnNlY3JldA==' }), docs);
    expect(tries.map((t) => [t.status, t.ok, t.error])).toEqual([[200, true, null]]);
    const req = s.requests[0]!;
    expect(req.path).toBe('/soveren-events/_bulk');
    expect(req.headers['content-type']).toBe('application/x-ndjson');
    expect(req.headers.authorization).toBe('ApiKey a2V5OnNlY3JldA==');
    expect(req.body).toBe(`{"create":{}}\n${docs[0]}\n{"create":{}}\n${docs[1]}\n`);
    expect(s.indices.get('soveren-events')!.map((d) => d.message)).toEqual(['one', 'two']);
  });

  it('uses basic auth from the URL when no API key is given', async () => {
    const s = keep(await startElasticServer({ basic: 'elastic:pa:ss' }));
    const base = s.url.replace('http://', 'http://elastic:pa%3Ass@');
    const tries = await deliver(createElasticTransport({ base, index: 'logs-soveren-default', apiKey: null }), docs.slice(0, 1));
    expect(tries[0]!.ok).toBe(true);
    expect(s.indices.get('logs-soveren-default')).toHaveLength(1);
  });

  it('a rejected item fails the try with Elasticsearch\'s reason, not retried', async () => {
    const s = keep(await startElasticServer({ reject: (d) => (d.message === 'two' ? "failed to parse field [message] of type [long] in document with id 'x'" : null) }));
    const tries = await deliver(createElasticTransport({ base: s.url, index: 'ix', apiKey: null }), docs);
    expect(tries).toHaveLength(1);
    expect(tries[0]!.status).toBe(200);
    expect(tries[0]!.ok).toBe(false);
    expect(tries[0]!.error).toBe("Elasticsearch rejected 1 of 2 documents; document 2: 400 document_parsing_exception: failed to parse field [message] of type [long] in document with id 'x'");
    // Per document (live forwarding records each delivery's own): status, reason and its own item.
    expect(tries[0]!.items!.map((i) => [i.ok, i.status, i.error, i.retryable])).toEqual([
      [true, 201, null, false],
      [false, 400, "Elasticsearch rejected the document: 400 document_parsing_exception: failed to parse field [message] of type [long] in document with id 'x'", false],
    ]);
    expect(JSON.parse(tries[0]!.items![0]!.responseBody!)).toMatchObject({ create: { _index: 'ix', status: 201, result: 'created' } });
    expect(JSON.parse(tries[0]!.items![1]!.responseBody!)).toMatchObject({ create: { status: 400, error: { type: 'document_parsing_exception' } } });
  });

  it('reads every item of a large batch (an answer past 64 KiB)', async () => {
    const s = keep(await startElasticServer({}));
    const many = Array.from({ length: 700 }, (_, i) => JSON.stringify({ '@timestamp': '2026-01-01T00:00:00Z', message: `doc ${i}` }));
    const tries = await deliver(createElasticTransport({ base: s.url, index: 'ix', apiKey: null }), many);
    expect(tries.map((t) => [t.ok, t.error])).toEqual([[true, null]]);
    expect(tries[0]!.responseBody!.length).toBeGreaterThan(64 * 1024);
    expect(tries[0]!.items!.every((i) => i.ok && i.status === 201)).toBe(true);
  });

  it('retries 429 until the cluster takes the documents', async () => {
    const s = keep(await startElasticServer({ throttleFor: 2 }));
    const tries = await deliver(createElasticTransport({ base: s.url, index: 'ix', apiKey: null }), docs.slice(0, 1));
    expect(tries.map((t) => t.status)).toEqual([429, 429, 200]);
    expect(tries[0]!.error).toMatch(/^Elasticsearch answered 429: es_rejected_execution_exception: rejected execution/);
    expect(s.indices.get('ix')).toHaveLength(1);
  });

  it('a wrong API key fails at once with the security exception', async () => {
    const s = keep(await startElasticServer({ apiKey: 'right' }));
    const tries = await deliver(createElasticTransport({ base: s.url, index: 'ix', apiKey: 'wrong-key' }), docs.slice(0, 1));
    expect(tries.map((t) => t.status)).toEqual([401]);
    expect(tries[0]!.error).toMatch(/^Elasticsearch answered 401: security_exception: unable to authenticate/);
    expect(JSON.stringify(tries)).not.toContain('wrong-key');
  });
});
