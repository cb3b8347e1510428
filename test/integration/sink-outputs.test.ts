// Outputs as the API and the stream show them: each linked to the delivery it came from by
// event id (anywhere in it), then title + time, then body hash, or unmatched with the reason;
// the list, detail, delete, the delivery's linked outputs, the stream with outputsSince
// resume, /api/health, and retention by --max-deliveries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, getJson, rawRequest } from '../helpers/http.ts';
import { openStream } from '../helpers/stream.ts';
import { createEvent, serializeEvent } from '../../server/soveren/events.ts';
import type { DeliveryDetail, Health, OutputDetail, OutputSummary, StreamMessage } from '../../server/common/protocol.ts';

let t: TestInspector;
beforeEach(async () => {
  t = await startTestInspector({ maxDeliveries: 50 });
});
afterEach(() => t.close());

async function deliver(body: string): Promise<number> {
  const r = await rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json']], body });
  return r.json().id as number;
}
async function hec(items: unknown[]): Promise<void> {
  const r = await rawRequest(t.inspector.sinkUrl + 'services/collector/event', { headers: [['Authorization', 'Splunk any']], body: items.map((i) => JSON.stringify(i)).join('') });
  expect(r.json()).toEqual({ text: 'Success', code: 0 });
}
const list = async (q = '') => (await getJson<{ items: OutputSummary[]; next: number | null }>(`${t.uiUrl}api/outputs?limit=500&q=${encodeURIComponent(q)}`)).items;

describe('outputs', () => {
  it('links each output by event id, title + time or body hash, and says why when nothing matches', async () => {
    const event = createEvent('policy_violation', { seed: 3 });
    const body = serializeEvent(event);
    const deliveryId = await deliver(body);
    const eventId = event.event_link!.split('/').pop()!;
    // The event link inside an OCSF-like document, a bare id in a CEF-like string, the title
    // with the time in epoch seconds (no link), the exact body through the generic sink.
    await hec([
      { event: { finding_info: { uid: eventId, title: 'renamed' }, note: 'by-id' } },
      { event: `CEF:0|Soveren|Soveren|1.0|x|y|8|request=${event.event_link} msg=by-link` },
      { time: Date.parse(event.time!) / 1000, event: { message: event.title, note: 'by-title' } },
      { event: { title: 'no such event', note: 'unmatched', time: '2020-01-01T00:00:00Z' } },
    ]);
    const generic = await rawRequest(t.inspector.sinkUrl + 'dataCollectionRules/dcr-1/streams/Custom-Soveren', { headers: [['Content-Type', 'application/json']], body });
    expect(generic.status).toBe(204);

    const items = await list();
    const all = await Promise.all(items.map((o) => getJson<OutputDetail>(`${t.uiUrl}api/outputs/${o.id}`)));
    const detail = (word: string) => all.find((o) => o.bodyText!.includes(word))!;
    expect(detail('by-id')).toMatchObject({ deliveryId, linkRule: 'event_link' });
    expect(detail('by-link')).toMatchObject({ deliveryId, linkRule: 'event_link' });
    expect(detail('by-title')).toMatchObject({ deliveryId, linkRule: 'title_time', title: event.title });
    expect(all.find((o) => o.sink === 'http')).toMatchObject({ deliveryId, sink: 'http', path: '/dataCollectionRules/dcr-1/streams/Custom-Soveren' });
    // The generic body carries the link too, so the first rule links it.
    expect(all.find((o) => o.sink === 'http')!.linkRule).toBe('event_link');
    const unmatched = detail('unmatched');
    expect(unmatched).toMatchObject({ deliveryId: null, linkRule: null, latencyMs: null });
    expect(unmatched.linkNote).toContain('no event link or id in it');
    expect(detail('by-id').latencyMs).toBeGreaterThanOrEqual(0);

    // Body hash alone: the exact body with its link and title changed is not it; the exact bytes are.
    const plain = JSON.stringify({ note: 'hash only', n: 42 });
    const plainId = await deliver(plain);
    await rawRequest(t.inspector.sinkUrl + 'custom/path', { body: plain });
    expect((await list('hash only'))[0]).toMatchObject({ deliveryId: plainId, linkRule: 'body_hash' });

    // The delivery's detail lists what reached the SIEM.
    const d = await getJson<DeliveryDetail>(`${t.uiUrl}api/deliveries/${deliveryId}`);
    expect(d.outputs!.map((o) => o.linkRule).sort()).toEqual(['event_link', 'event_link', 'event_link', 'title_time']);

    expect((await list('linked:no')).map((o) => o.title)).toEqual(['no such event']);
    expect((await list('sink:http')).length).toBe(2);
    const bad = await rawRequest(`${t.uiUrl}api/outputs?q=sink:splunk`, { method: 'GET' });
    expect(bad.status).toBe(400);
  });

  it('splits a JSON array into one output per record', async () => {
    const records = [{ title: 'array-a' }, { title: 'array-b' }, { title: 'array-c' }];
    const r = await rawRequest(t.inspector.sinkUrl + 'dataCollectionRules/x/streams/y', { body: JSON.stringify(records, null, 1) });
    expect(r.status).toBe(204);
    const items = await list('array-');
    expect(items.map((o) => o.title)).toEqual(['array-c', 'array-b', 'array-a']);
    const first = await getJson<OutputDetail>(`${t.uiUrl}api/outputs/${items[2]!.id}`);
    expect(JSON.parse(first.bodyText!)).toEqual({ title: 'array-a' });
  });

  it('streams outputs live and resumes after outputsSince without gaps or repeats', async () => {
    await hec([{ event: 'stream-1' }, { event: 'stream-2' }]);
    const ids = (await list()).map((o) => o.id).sort((a, b) => a - b);
    const client = await openStream(t.uiUrl, { outputsSince: String(ids[0]) });
    const outputIds = () => client.messages.flatMap((m: StreamMessage) => (m.type === 'output' ? [m.output.id] : []));
    await client.waitFor(() => outputIds().length === 1);
    expect(outputIds()).toEqual([ids[1]]);
    await hec([{ event: 'stream-3' }]);
    await client.waitFor(() => outputIds().length === 2);
    const live = client.messages.filter((m) => m.type === 'output').at(-1);
    expect(live).toMatchObject({ type: 'output', output: { sink: 'hec', id: ids[1]! + 1 } });
    await client.close();
    const refused = await rawRequest(t.uiUrl.replace(/\/$/, '') + '/api/stream?outputsSince=abc', { method: 'GET', headers: [['Connection', 'Upgrade'], ['Upgrade', 'websocket'], ['Sec-WebSocket-Version', '13'], ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ==']] });
    expect(refused.status).toBe(400);
  });

  it('deletes outputs like deliveries, and shows sinks and retention in /api/health', async () => {
    await hec(Array.from({ length: 60 }, (_, i) => ({ event: `retained ${i}` })));
    const health = await getJson<Health>(`${t.uiUrl}api/health`);
    expect(health.sinks).toMatchObject({ outputs: 50, outputsPruned: 10, maxOutputs: 50, tokenRequired: false, sinkUrl: t.inspector.sinkUrl, syslogAddress: t.inspector.syslogAddress });
    const newest = await list();
    // The oldest ten went: the oldest kept is the eleventh sent.
    const oldest = await getJson<OutputDetail>(`${t.uiUrl}api/outputs/${newest[newest.length - 1]!.id}`);
    expect(JSON.parse(oldest.bodyText!)).toEqual({ event: 'retained 10' });
    const one = await apiRequest(t.uiUrl, `api/outputs/${newest[0]!.id}`, 'DELETE');
    expect([one.status, await one.json()]).toEqual([200, { deleted: 1 }]);
    expect((await rawRequest(`${t.uiUrl}api/outputs/${newest[0]!.id}`, { method: 'GET' })).status).toBe(404);
    const rest = await apiRequest(t.uiUrl, 'api/outputs', 'DELETE');
    expect(await rest.json()).toEqual({ deleted: 49 });
    expect((await getJson<Health>(`${t.uiUrl}api/health`)).sinks!.outputs).toBe(0);
  });
});
