// The whole path with the reference connector (examples/connector): Soveren deliveries reach
// the inspector's receiver, are forwarded to the connector, which verifies them and writes
// each to the HEC sink; every accepted event of every type becomes one output linked to its
// delivery by event link, and a forged delivery sent straight to the connector never does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, getJson } from '../helpers/http.ts';
import { startConnector } from '../../examples/connector/connector.mjs';
import { createEvents, serializeEvent } from '../../server/soveren/events.ts';
import { signBody } from '../../server/soveren/signature.ts';
import type { OutputSummary } from '../../server/common/protocol.ts';

const TOKEN = 'soveren-token-for-the-connector';
const HEC_TOKEN = 'hec-token-for-the-connector';
let t: TestInspector;
let connector: Awaited<ReturnType<typeof startConnector>>;

beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN], sinkToken: HEC_TOKEN });
  connector = await startConnector({ port: 0, token: TOKEN, hecUrl: t.inspector.sinkUrl, hecToken: HEC_TOKEN });
  const r = await apiRequest(t.uiUrl, 'api/forwarding', 'PUT', { targets: [connector.url], keepSignature: true, enabled: true });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await connector?.close();
  await t?.close();
});

async function allOutputs(): Promise<OutputSummary[]> {
  return (await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?limit=500`)).items;
}

describe('reference connector', () => {
  it('carries every accepted event of every type to the HEC sink once, linked to its delivery', async () => {
    const events = createEvents({ all: true, count: 1, seed: 4 });
    expect(events).toHaveLength(29);
    const ids = new Map<number, string>();
    for (const e of events) {
      const body = serializeEvent(e);
      const r = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-soveren-signature': signBody(body, TOKEN), 'user-agent': 'SoverenWebhook/1.0' }, body });
      expect(r.status).toBe(200);
      ids.set(Number(r.headers.get('x-soveren-inspector-id')), e.event_type!);
    }
    const deadline = Date.now() + 20_000;
    let outputs = await allOutputs();
    while (outputs.length < 29 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      outputs = await allOutputs();
    }
    expect(outputs).toHaveLength(29);
    for (const o of outputs) {
      expect(o.linkRule, `output ${o.id}`).toBe('event_link');
      expect(o.eventType).toBe(ids.get(o.deliveryId!));
    }
    expect(new Set(outputs.map((o) => o.deliveryId)).size).toBe(29);
  });

  it('refuses a forged delivery, which never reaches the SIEM', async () => {
    const before = (await allOutputs()).length;
    const body = JSON.stringify({ title: 'forged', event_type: 'policy_violation' });
    const r = await fetch(connector.url, { method: 'POST', headers: { 'x-soveren-signature': signBody(body, 'not-the-token') }, body });
    expect(r.status).toBe(401);
    // Nothing to wait for: the connector answered 401 without writing; the count is unchanged.
    expect((await allOutputs()).length).toBe(before);
  });
});
