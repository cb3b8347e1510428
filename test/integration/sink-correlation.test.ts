// Correlation of a whole group at once (one query per rule for all the outputs of a commit)
// keeps the per-output rules: an accepted delivery beats a newer forged copy of the same
// event, the first of an output's event ids that names a delivery wins and the note names it,
// and outputs of one request each get their own rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { getJson, rawRequest } from '../helpers/http.ts';
import { createEvent, serializeEvent } from '../../server/soveren/events.ts';
import { signBody } from '../../server/soveren/signature.ts';
import type { OutputSummary } from '../../server/common/protocol.ts';

const TOKEN = 'correlation-token';
let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN] });
});
afterAll(() => t.close());

async function deliver(body: string, signature: string): Promise<{ id: number; status: number }> {
  const r = await rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json'], ['User-Agent', 'Soveren'], ['x-soveren-signature', signature]], body });
  return { id: (await getJson<{ items: { id: number }[] }>(`${t.uiUrl}api/deliveries?limit=1`)).items[0]!.id, status: r.status };
}

async function bulk(docs: unknown[]): Promise<void> {
  const body = docs.map((d) => `{"create":{"_index":"corr"}}\n${JSON.stringify(d)}\n`).join('');
  const r = await rawRequest(t.inspector.sinkUrl + '_bulk', { headers: [['Content-Type', 'application/x-ndjson']], body });
  expect(r.json().errors).toBe(false);
}

const byNote = async (note: string) =>
  (await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?limit=50&q=${encodeURIComponent(note)}`)).items;

describe('correlation of a group of outputs', () => {
  it('links each output of one _bulk request by its own rule, accepted deliveries first', async () => {
    const event = createEvent('policy_violation', { seed: 41 });
    const body = serializeEvent(event);
    const accepted = await deliver(body, signBody(body, TOKEN));
    expect(accepted.status).toBe(200);
    // The same event again, badly signed: refused (stored with its 401) and newer than the real one.
    const forged = await deliver(body, signBody(body, 'not-the-token'));
    expect(forged.status).toBe(401);
    expect(forged.id).toBeGreaterThan(accepted.id);

    const other = createEvent('data_at_risk', { seed: 42 });
    const otherBody = serializeEvent(other);
    const otherDelivery = await deliver(otherBody, signBody(otherBody, TOKEN));
    const eventId = event.event_link!.split('/').pop()!.toLowerCase();
    const unknownLink = 'https://app.soveren.io/events/00000000-0000-4000-8000-00000000dead';

    await bulk([
      { note: 'corr-link', event: { url: event.event_link } },
      // Two links: the first names no delivery, the second does.
      { note: 'corr-second-link', links: [unknownLink, event.event_link] },
      { note: 'corr-title', message: other.title, '@timestamp': other.time },
      { note: 'corr-none', message: 'nothing like it', '@timestamp': '2020-01-01T00:00:00Z' },
    ]);

    const [link] = await byNote('corr-link');
    expect(link).toMatchObject({ deliveryId: accepted.id, linkRule: 'event_link', linkNote: `event id ${eventId}` });
    const [second] = await byNote('corr-second-link');
    expect(second).toMatchObject({ deliveryId: accepted.id, linkRule: 'event_link', linkNote: `event id ${eventId}` });
    const [title] = await byNote('corr-title');
    expect(title).toMatchObject({ deliveryId: otherDelivery.id, linkRule: 'title_time', linkNote: 'same title within a second' });
    const [none] = await byNote('corr-none');
    expect(none).toMatchObject({ deliveryId: null, linkRule: null });
    expect(none!.linkNote).toBe('no event link or id in it; no delivery with its title at its time; no delivery with the same body');
  });
});
