// GET /api/deliveries/:id/siem/:format over real HTTP against a real inspector: each format
// for a captured event (checked by the same oracles as the unit tests), HEC options, and
// clear answers for bodies that are not JSON objects (422), bad formats (400), unknown ids (404).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parseSyslog from 'nsyslog-parser';
import { createEvent } from '../../server/soveren/events.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { loadOcsfSchema, validateOcsf } from '../helpers/ocsf-validator.ts';

let t: TestInspector;
const event = createEvent('3rd_party_policy_violation', { seed: 11, now: new Date('2024-06-01T12:00:00.000Z') });
const ids: Record<string, number> = {};

async function post(body: string | Uint8Array<ArrayBuffer>): Promise<number> {
  const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0' }, body });
  await res.arrayBuffer();
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const siem = (path: string) => fetch(new URL(`/api/deliveries/${path}`, t.uiUrl));

beforeAll(async () => {
  t = await startTestInspector();
  ids.event = await post(JSON.stringify(event));
  ids.text = await post('hello, not JSON');
  ids.array = await post('[{"title":"in an array"}]');
  ids.binary = await post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
});
afterAll(() => t.close());

describe('GET /api/deliveries/:id/siem/:format', () => {
  it('ocsf: a valid Data Security Finding with its field rows and unmapped fields', async () => {
    const res = await siem(`${ids.event}/siem/ocsf`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.format).toBe('ocsf');
    expect(validateOcsf(body.output, loadOcsfSchema())).toEqual([]);
    expect(body.output.finding_info.title).toBe(event.title);
    expect(body.fields).toContainEqual({ source: 'title', target: 'finding_info.title', value: event.title });
    expect(body.unmapped).toContainEqual({ source: 'user_agent', value: event.user_agent });
    expect(body.unmappedTarget).toBe('unmapped');
  });

  it('ecs: the exact body in event.original', async () => {
    const body = await (await siem(`${ids.event}/siem/ecs`)).json();
    expect(body.output.event.original).toBe(JSON.stringify(event));
    expect(body.output.message).toBe(event.title);
    expect(body.unmappedTarget).toBe('soveren.*');
  });

  it('cef: one line that a CEF parser reads', async () => {
    const body = await (await siem(`${ids.event}/siem/cef`)).json();
    expect(typeof body.output).toBe('string');
    const parsed = parseSyslog(body.output);
    expect(parsed.cef?.deviceEventClassID).toBe('3rd_party_policy_violation');
    expect(parsed.fields?.cs3).toBe(event.sending!.name);
  });

  it('hec: the raw event by default; payload, index and host from the query', async () => {
    const plain = await (await siem(`${ids.event}/siem/hec`)).json();
    expect(plain.output).toMatchObject({ sourcetype: 'soveren:event', source: 'soveren', event });
    const res = await siem(`${ids.event}/siem/hec?payload=ocsf&index=security&host=laptop`);
    const withOptions = await res.json();
    expect(withOptions.output).toMatchObject({ sourcetype: 'soveren:ocsf', index: 'security', host: 'laptop', event: { class_uid: 2006 } });
    expect((await siem(`${ids.event}/siem/hec?payload=xml`)).status).toBe(400);
  });

  it('a body that is not a JSON object: 422 saying why', async () => {
    for (const [which, reason] of [['text', /not valid JSON/], ['array', /an array/], ['binary', /not valid UTF-8/]] as const) {
      for (const format of ['ocsf', 'cef']) {
        const res = await siem(`${ids[which]}/siem/${format}`);
        expect(res.status).toBe(422);
        expect((await res.json()).error).toMatch(reason);
      }
    }
  });

  it('an unknown format is 400 naming the formats; a bad id 400; an unknown id 404', async () => {
    const bad = await siem(`${ids.event}/siem/leef`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/ocsf, ecs, cef, hec/);
    expect((await siem('abc/siem/ocsf')).status).toBe(400);
    const missing = await siem('999999/siem/ocsf');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatch(/999999 not found/);
  });
});
