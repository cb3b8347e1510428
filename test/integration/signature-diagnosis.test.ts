// Signature debugging tells "body changed since signing" from "another token" where the
// stored data allows it: a replay of the same bytes re-signed with the current token that
// verified (another token), a delivery of the same event that verified with this very
// signature over other bytes (body changed), and says so when nothing can tell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import type { SignatureExpectation } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';

const TOKEN = 'receiver-token-diag';
let t: TestInspector;

const event = (title: string, id: string) => JSON.stringify({
  title, category: 'Data at risk', event_type: 'anomaly_detected', sensitivity: 'High', event_link: `https://app.soveren.io/events/${id}`,
});

async function post(body: string, signature: string): Promise<{ id: number; status: number }> {
  const res = await fetch(t.receiverUrl, {
    method: 'POST', body, headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': signature },
  });
  await res.arrayBuffer();
  return { id: Number(res.headers.get('x-soveren-inspector-id')), status: res.status };
}
const expectation = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}/signature`, t.uiUrl))).json()) as SignatureExpectation;

beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN] });
});
afterAll(async () => {
  await t.close();
});

describe('invalid signature diagnosis', () => {
  it('says "another token" once a replay of the same bytes with the current token verified', async () => {
    const body = event('Signed elsewhere', '0b7c3a52-1111-4c2e-9a53-5f1c2d3e4f50');
    const bad = await post(body, await sign('some-other-token', body));
    expect(bad.status).toBe(401);
    const before = await expectation(bad.id);
    expect(before.diagnosis).toMatchObject({ cause: 'unknown', deliveryId: null });
    expect(before.diagnosis!.reason).toContain('cannot tell');

    // Replay the stored bytes to this same receiver, signed with the current token.
    const replay = await fetch(new URL(`/api/deliveries/${bad.id}/replay`, t.uiUrl), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: t.receiverUrl + 'again', token: TOKEN }),
    });
    expect(replay.status).toBe(200);
    const replayed = Number((await (await fetch(new URL(`/api/deliveries?q=${encodeURIComponent('path:/again')}`, t.uiUrl))).json() as { items: { id: number; signature: string }[] }).items[0]!.id);
    const after = await expectation(bad.id);
    expect(after.diagnosis).toMatchObject({ cause: 'another-token', deliveryId: replayed });
    expect(after.diagnosis!.reason).toContain(`#${replayed} has exactly these bytes`);
    expect(JSON.stringify(after)).not.toContain(TOKEN);
  });

  it('says "body changed" when a delivery of the same event verified with this very signature', async () => {
    const id = '0b7c3a52-2222-4c2e-9a53-5f1c2d3e4f50';
    const original = event('Original title', id);
    const signature = await sign(TOKEN, original);
    const good = await post(original, signature);
    expect(good.status).toBe(200);
    const changed = await post(event('Changed on the way', id), signature);
    expect(changed.status).toBe(401);
    const got = await expectation(changed.id);
    expect(got.diagnosis).toMatchObject({ cause: 'body-changed', deliveryId: good.id });
    expect(got.diagnosis!.reason).toContain('carried this very signature');
  });

  it('gives no diagnosis for a valid delivery', async () => {
    const body = event('Fine', '0b7c3a52-3333-4c2e-9a53-5f1c2d3e4f50');
    const good = await post(body, await sign(TOKEN, body));
    expect((await expectation(good.id)).diagnosis).toBeNull();
  });
});
