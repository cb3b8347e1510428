// The Splunk HEC sink against Splunk's own client (splunk-logging) and raw requests: the
// {"text","code"} table with its statuses, concatenated batches (events before an invalid
// one kept), indexer acknowledgement per channel, and every event stored as an output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { getJson, rawRequest } from '../helpers/http.ts';
import type { OutputDetail, OutputSummary } from '../../server/common/protocol.ts';

// splunk-logging is CommonJS without types: its public Logger API only.
interface SplunkLogger {
  send(payload: { message: unknown }, cb: (err: (Error & { code?: number }) | null, resp: { statusCode: number }, body: unknown) => void): void;
  error: (err: Error & { code?: number }) => void;
}
const { Logger } = createRequire(import.meta.url)('splunk-logging') as { Logger: new (config: Record<string, unknown>) => SplunkLogger };

const TOKEN = 'hec-token-0123456789';
const CHANNEL = '0f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
let t: TestInspector;
let sink: string;

beforeAll(async () => {
  t = await startTestInspector({ sinkToken: TOKEN });
  sink = t.inspector.sinkUrl;
});
afterAll(() => t.close());

function send(token: string, message: unknown): Promise<{ err: (Error & { code?: number }) | null; status: number; body: unknown }> {
  const logger = new Logger({ token, url: sink.replace(/\/$/, ''), maxRetries: 0 });
  // The client reports Splunk's error codes through its error handler, not the callback.
  let splunkError: (Error & { code?: number }) | null = null;
  logger.error = (err) => (splunkError = err);
  return new Promise((resolve) => logger.send({ message }, (err, resp, body) => resolve({ err: err ?? splunkError, status: resp?.statusCode ?? 0, body })));
}

const hec = (body: string, headers: [string, string][] = [['Authorization', `Splunk ${TOKEN}`]], path = 'services/collector/event') =>
  rawRequest(sink + path, { headers: [['Content-Type', 'application/json'], ...headers], body });

async function outputs(q: string): Promise<OutputSummary[]> {
  return (await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?q=${encodeURIComponent(q)}`)).items;
}

describe('Splunk HEC sink', () => {
  it('takes events from splunk-logging and stores each as an output', async () => {
    const r = await send(TOKEN, { title: 'logged by splunk-logging', marker: 'hec-client-1' });
    expect(r.err).toBeNull();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ text: 'Success', code: 0 });
    const [item] = await outputs('hec-client-1');
    expect(item).toMatchObject({ sink: 'hec', path: '/services/collector/event/1.0', title: 'logged by splunk-logging', deliveryId: null, linkRule: null });
    const detail = await getJson<OutputDetail>(`${t.uiUrl}api/outputs/${item!.id}`);
    expect(JSON.parse(detail.bodyText!).event.message.marker).toBe('hec-client-1');
    // The credential never reaches the store.
    expect(detail.headers.find(([name]) => name.toLowerCase() === 'authorization')?.[1]).toBe('Splunk [redacted]');
    expect(JSON.stringify(detail)).not.toContain(TOKEN);
  });

  it('answers a wrong token with code 4, which splunk-logging reports', async () => {
    const r = await send('not-the-token', { marker: 'hec-wrong-token' });
    expect(r.status).toBe(403);
    expect(r.err?.code).toBe(4);
    expect(r.body).toEqual({ text: 'Invalid token', code: 4 });
    expect(await outputs('hec-wrong-token')).toEqual([]);
  });

  it('answers with Splunk’s code table', async () => {
    const cases: [string, [string, string][], number, unknown][] = [
      ['{"event":"x"}', [], 401, { text: 'Token is required', code: 2 }],
      ['{"event":"x"}', [['Authorization', 'Splunk']], 401, { text: 'Invalid authorization', code: 3 }],
      ['{"event":"x"}', [['Authorization', 'Splunk wrong']], 403, { text: 'Invalid token', code: 4 }],
      ['', [['Authorization', `Splunk ${TOKEN}`]], 400, { text: 'No data', code: 5 }],
      ['{"event": nope}', [['Authorization', `Splunk ${TOKEN}`]], 400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 }],
      ['{"time": 1}', [['Authorization', `Splunk ${TOKEN}`]], 400, { text: 'Event field is required', code: 12, 'invalid-event-number': 0 }],
      ['{"event": ""}', [['Authorization', `Splunk ${TOKEN}`]], 400, { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 0 }],
    ];
    for (const [body, headers, status, answer] of cases) {
      const r = await hec(body, headers);
      expect([body, r.status, r.json()]).toEqual([body, status, answer]);
    }
    const health = await rawRequest(sink + 'services/collector/health', { method: 'GET' });
    expect([health.status, health.json()]).toEqual([200, { text: 'HEC is healthy', code: 17 }]);
  });

  it('takes basic auth with the token as password', async () => {
    const basic = Buffer.from(`x:${TOKEN}`).toString('base64');
    const r = await hec('{"event":{"marker":"hec-basic"}}', [['Authorization', `Basic ${basic}`]]);
    expect([r.status, r.json()]).toEqual([200, { text: 'Success', code: 0 }]);
    expect(await outputs('hec-basic')).toHaveLength(1);
  });

  it('splits concatenated batches and keeps the events before an invalid one', async () => {
    const ok = await hec('{"event":{"m":"hec-batch-a"}}{"event":{"m":"hec-batch-b"}}\n  {"event":"hec-batch-c","time":"1700000000.5"}');
    expect([ok.status, ok.json()]).toEqual([200, { text: 'Success', code: 0 }]);
    expect((await outputs('hec-batch')).map((o) => o.id)).toHaveLength(3);
    const exact = await getJson<OutputDetail>(`${t.uiUrl}api/outputs/${(await outputs('hec-batch-b'))[0]!.id}`);
    expect(exact.bodyText).toBe('{"event":{"m":"hec-batch-b"}}');

    const bad = await hec('{"event":{"m":"hec-partial-a"}}{"nope":1}{"event":{"m":"hec-partial-c"}}');
    expect([bad.status, bad.json()]).toEqual([400, { text: 'Event field is required', code: 12, 'invalid-event-number': 1 }]);
    expect(await outputs('hec-partial-a')).toHaveLength(1);
    expect(await outputs('hec-partial-c')).toHaveLength(0);
  });

  it('acknowledges per channel once committed, as indexer acknowledgement does', async () => {
    const auth: [string, string] = ['Authorization', `Splunk ${TOKEN}`];
    const a = await hec('{"event":"hec-ack-1"}', [auth, ['X-Splunk-Request-Channel', CHANNEL]]);
    const b = await hec('{"event":"hec-ack-2"}', [auth, ['X-Splunk-Request-Channel', CHANNEL]]);
    expect([a.json(), b.json()]).toEqual([{ text: 'Success', code: 0, ackId: 0 }, { text: 'Success', code: 0, ackId: 1 }]);
    const ack = (ids: number[], headers: [string, string][]) => rawRequest(sink + 'services/collector/ack', { headers: [auth, ...headers], body: JSON.stringify({ acks: ids }) });
    const first = await ack([0, 1, 7], [['X-Splunk-Request-Channel', CHANNEL]]);
    expect(first.json()).toEqual({ acks: { 0: true, 1: true, 7: false } });
    // Reported once: Splunk forgets an id it answered true for.
    expect((await ack([0], [['X-Splunk-Request-Channel', CHANNEL]])).json()).toEqual({ acks: { 0: false } });
    const none = await ack([0], []);
    expect([none.status, none.json()]).toEqual([400, { text: 'Data channel is missing', code: 10 }]);
    const raw = await rawRequest(sink + 'services/collector/raw', { headers: [auth], body: 'raw line' });
    expect([raw.status, raw.json()]).toEqual([400, { text: 'Data channel is missing', code: 10 }]);
    const badChannel = await hec('{"event":"x"}', [auth, ['X-Splunk-Request-Channel', 'not-a-guid']]);
    expect([badChannel.status, badChannel.json()]).toEqual([400, { text: 'Invalid data channel', code: 11 }]);
  });

  it('stores raw data one event per line', async () => {
    const r = await rawRequest(`${sink}services/collector/raw?channel=${CHANNEL}&sourcetype=soveren`, {
      headers: [['Authorization', `Splunk ${TOKEN}`]], body: 'hec-raw line one\nhec-raw line two\n',
    });
    expect(r.status).toBe(200);
    const items = await outputs('hec-raw');
    expect(items.map((o) => o.summary.sourcetype)).toEqual(['soveren', 'soveren']);
  });
});
