// The API behind the UI's replay and forwarding dialogs with SIEM targets: one replay and a
// bulk replay into Elasticsearch, live forwarding switched on at run time; the API key is used
// for that request or forwarding only, never answered back, stored in attempts or the database.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt, DeliveryDetail, ForwardingState, JobStatus } from '../../server/common/protocol.ts';
import { startElasticServer, type ElasticServer } from '../helpers/elastic-server.ts';
import { apiRequest } from '../helpers/http.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';

const KEY = 'QVBJX0tFWV9mcm9tX3RoZV9VSQ==';
let t: TestInspector;
let es: ElasticServer;

async function capture(title: string): Promise<number> {
  const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event_type: 'new_data_type', title, sensitivity: 'High' }) });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const detail = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;
async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const titles = (index: string) => (es.indices.get(index) ?? []).map((d) => d.title);

beforeAll(async () => { [t, es] = await Promise.all([startTestInspector(), startElasticServer({ apiKey: KEY })]); });
afterAll(async () => { await Promise.all([t?.close(), es?.close()]); });

describe('SIEM targets through the API', () => {
  it('replays one delivery into Elasticsearch with the key given for that request only', async () => {
    const id = await capture('api one');
    const res = await apiRequest(t.uiUrl, `/api/deliveries/${id}/replay`, 'POST', { target: `elastic+${es.url}/api-one`, format: 'soveren', elasticApiKey: KEY });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const attempt = JSON.parse(text) as Attempt;
    expect([attempt.ok, attempt.status, attempt.target]).toEqual([true, 200, `elastic+${es.url}/api-one`]);
    expect(text).not.toContain(KEY);
    expect(titles('api-one')).toEqual(['api one']);
    // Without the key the same replay is refused by the cluster: nothing was kept.
    const again = (await (await apiRequest(t.uiUrl, `/api/deliveries/${id}/replay`, 'POST', { target: `elastic+${es.url}/api-one`, format: 'soveren' })).json()) as Attempt;
    expect([again.ok, again.status]).toEqual([false, 401]);
  });

  it('runs a bulk replay job into Elasticsearch', async () => {
    const ids = [await capture('bulk-siem 1'), await capture('bulk-siem 2')];
    const res = await apiRequest(t.uiUrl, '/api/replay', 'POST', { q: 'bulk-siem', target: `elastic+${es.url}/api-bulk`, format: 'soveren', elasticApiKey: KEY });
    expect(res.status).toBe(202);
    const job = (await res.json()) as JobStatus;
    expect(JSON.stringify(job)).not.toContain(KEY);
    const done = await until(async () => {
      const j = (await (await fetch(new URL(`/api/jobs/${job.id}`, t.uiUrl))).json()) as JobStatus;
      return j.state === 'done' ? j : undefined;
    });
    expect([done.total, done.ok, done.failed]).toEqual([2, 2, 0]);
    expect(titles('api-bulk').sort()).toEqual(['bulk-siem 1', 'bulk-siem 2']);
    expect((await detail(ids[1]!)).attempts.map((a) => [a.kind, a.ok])).toEqual([['replay', true]]);
  });

  it('forwards live into Elasticsearch once switched on; the state says a key is held, never which', async () => {
    const put = await apiRequest(t.uiUrl, '/api/forwarding', 'PUT', { targets: [`elastic+${es.url}/live`], format: 'soveren', elasticApiKey: KEY });
    const stateText = await put.text();
    expect(put.status, stateText).toBe(200);
    expect(stateText).not.toContain(KEY);
    const state = JSON.parse(stateText) as ForwardingState;
    expect(state.format).toBe('soveren');
    expect(state.siem).toEqual({ hecTokenSet: false, hecAck: false, elasticApiKeySet: true });
    expect(state.targets.map((x) => [x.url, x.format])).toEqual([[`elastic+${es.url}/live`, 'soveren']]);
    const id = await capture('forwarded live');
    await until(async () => (titles('live').includes('forwarded live') ? true : undefined));
    const attempts = await until(async () => {
      const a = (await detail(id)).attempts;
      return a.length > 0 ? a : undefined;
    });
    expect(attempts.map((a) => [a.kind, a.ok, a.target])).toEqual([['forward', true, `elastic+${es.url}/live`]]);
    const got = (await (await fetch(new URL('/api/forwarding', t.uiUrl))).text());
    expect(got).not.toContain(KEY);
    expect((await apiRequest(t.uiUrl, '/api/forwarding', 'PUT', { targets: [] })).status).toBe(200);
    expect(readFileSync(t.dbPath).toString('latin1')).not.toContain(KEY);
  });

  it.each([
    [{ target: 'hec+http://127.0.0.1:8088' }, 'hecToken: a hec+ target needs a Splunk HEC token'],
    [{ target: 'elastic+http://127.0.0.1:9200/ix', format: 'cef' }, 'format: an Elasticsearch document is JSON'],
    [{ target: 'syslog+tcp://127.0.0.1:514', format: 'xml' }, 'format: Invalid option: expected one of "soveren"|"ocsf"|"ecs"|"cef"'],
    [{ target: 'syslog+carrier-pigeon://127.0.0.1:514' }, 'target: unsupported scheme "syslog+carrier-pigeon:"'],
  ])('answers 400 naming the field for %j', async (body, message) => {
    const id = await capture('bad input');
    const res = await apiRequest(t.uiUrl, `/api/deliveries/${id}/replay`, 'POST', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(message);
    const fwd = await apiRequest(t.uiUrl, '/api/forwarding', 'PUT', { targets: [body.target], ...('format' in body && { format: body.format }) });
    expect(fwd.status).toBe(400);
  });
});
