// Live forwarding: accepted deliveries reach an independent target byte for byte, signed
// with the forward token; refused ones are not forwarded; a hanging target never slows the
// receiver; the API switches forwarding at run time; health turns failing after the
// configured time without a success and recovers on the next success.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sign } from '@octokit/webhooks-methods';
import type { DeliveryDetail, ForwardingState, StreamMessage } from '../../server/common/protocol.ts';
import { forwardingState as forwarding, putForwarding } from '../helpers/forwarding.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { holdStill, waitUntil } from '../helpers/wait.ts';
import { header, octokitValid, startTarget, type Answer, type Target } from './sender-target.ts';

const RECEIVER_TOKEN = 'rx-token';
const FORWARD_TOKEN = 'fwd-token-secret-123';

async function post(t: TestInspector, body: string, token = RECEIVER_TOKEN): Promise<{ status: number; id: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(t.receiverUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(token, body) },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, id: Number(res.headers.get('x-soveren-inspector-id')), ms: performance.now() - t0 };
}


describe('forwarding to a healthy target', () => {
  let target: Target;
  let other: Target;
  let t: TestInspector;
  beforeAll(async () => {
    [target, other] = await Promise.all([startTarget(), startTarget()]);
    t = await startTestInspector({ tokens: [RECEIVER_TOKEN], forward: { targets: [target.url], token: FORWARD_TOKEN, keepSignature: false, failAfterMs: 900_000, concurrency: 2, retries: 0 } });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([target.close(), other.close()]);
  });

  it('forwards accepted deliveries byte for byte, re-signed, with the attempt stored and streamed', async () => {
    const ws = new WebSocket(new URL('/api/stream', t.uiUrl.replace('http', 'ws')));
    const attempts: StreamMessage[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as StreamMessage;
      if (m.type === 'attempt') attempts.push(m);
    });
    await new Promise((r) => ws.once('open', r));
    const body = '{"title":"forward me ✓","event_type":"new_data_type"}';
    const { status, id } = await post(t, body);
    expect(status).toBe(200);
    await target.waitFor(1);
    const got = target.received[0]!;
    expect(got.body.toString('utf8')).toBe(body);
    expect(header(got, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
    expect(await octokitValid(FORWARD_TOKEN, got)).toBe(true);
    await waitUntil(() => attempts.length > 0, { what: 'the attempt on the stream' });
    ws.close();
    expect(attempts[0]).toMatchObject({ type: 'attempt', deliveryId: id, attempt: { kind: 'forward', ok: true, status: 200 } });
    const detail = (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;
    expect(detail.attempts.map((a) => [a.kind, a.status])).toEqual([['forward', 200]]);
    const state = await forwarding(t);
    expect(state).toMatchObject({ enabled: true, signing: 'token' });
    expect(state.targets[0]).toMatchObject({ url: target.url, consecutiveFailures: 0, failing: false, forwarded: 1 });
    expect(state.targets[0]!.lastSuccessAt).not.toBeNull();
    expect(JSON.stringify(state)).not.toContain(FORWARD_TOKEN);
  });

  it('does not forward refused deliveries', async () => {
    const before = target.received.length;
    expect((await post(t, '{"bad":true}', 'wrong-token')).status).toBe(401);
    await post(t, '{"good":true}');
    await target.waitFor(before + 1);
    await holdStill(100); // only to prove the refused one never follows
    expect(target.received.slice(before).map((c) => c.body.toString())).toEqual(['{"good":true}']);
  });

  it('switches at run time: off, then to another target keeping the received signature', async () => {
    const off = await putForwarding(t, { enabled: false });
    expect(((await off.json()) as ForwardingState).enabled).toBe(false);
    const before = target.received.length;
    await post(t, '{"while":"off"}');
    await holdStill(150); // only to prove nothing is forwarded while off
    expect(target.received.length).toBe(before);

    const on = (await (await putForwarding(t, { enabled: true, targets: [other.url], keepSignature: true })).json()) as ForwardingState;
    expect(on).toMatchObject({ enabled: true, signing: 'keep', targets: [{ url: other.url }] });
    const body = '{"while":"on"}';
    await post(t, body);
    await other.waitFor(1);
    expect(header(other.received[0]!, 'x-soveren-signature')).toEqual([await sign(RECEIVER_TOKEN, body)]);

    const loop = await putForwarding(t, { targets: [t.receiverUrl.replace('127.0.0.1', 'localhost')] });
    expect(loop.status).toBe(400);
    expect(((await loop.json()) as { error: string }).error).toMatch(/own receiver/);
    const withToken = await putForwarding(t, { token: 'runtime-token-777' });
    const text = await withToken.text();
    expect(JSON.parse(text)).toMatchObject({ signing: 'token' });
    expect(text).not.toContain('runtime-token-777');
    expect((await putForwarding(t, { targets: ['gopher://x'] })).status).toBe(400);
  });
});

describe('forwarding to a target in trouble', () => {
  it('a hanging target does not slow the receiver, and shutdown does not wait for it', async () => {
    const hanging = await startTarget(() => ({ hang: true }));
    const t = await startTestInspector({ forward: { targets: [hanging.url], token: null, keepSignature: false, failAfterMs: 900_000, concurrency: 1, retries: 0 } });
    try {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await post(t, `{"n":${i}}`);
        expect(r.status).toBe(200);
        times.push(r.ms);
      }
      await hanging.waitFor(1);
      expect(Math.max(...times)).toBeLessThan(500);
      const state = await forwarding(t);
      expect(state.targets[0]).toMatchObject({ inFlight: 1, queued: 4 });
    } finally {
      const t0 = performance.now();
      await t.close();
      expect(performance.now() - t0).toBeLessThan(3000);
      await hanging.close();
    }
  });

  it('counts failures, turns failing after failAfterMs without success, and recovers', async () => {
    let answer: Answer = { status: 500 };
    const flaky = await startTarget(() => answer);
    const logged: string[] = [];
    const logger = { info: (l: string) => logged.push(l), warn: (l: string) => logged.push(l), delivery: () => {} };
    const t = await startTestInspector({ logger, forward: { targets: [flaky.url], token: 'never-logged-tok', keepSignature: false, failAfterMs: 200, concurrency: 1, retries: 0 } });
    try {
      await post(t, '{"n":1}');
      await flaky.waitFor(1);
      await waitUntil(async () => (await forwarding(t)).targets[0]!.failed === 1, { what: 'the first failure to be counted' });
      let health = (await forwarding(t)).targets[0]!;
      expect(health).toMatchObject({ consecutiveFailures: 1, failing: false, lastStatus: 500, failed: 1, lastSuccessAt: null });
      expect(health.lastError).toBe('answered 500');
      // failAfterMs (200 ms) must pass without a success before the target counts as failing.
      await holdStill(250);
      await post(t, '{"n":2}');
      await flaky.waitFor(2);
      await waitUntil(async () => (await forwarding(t)).targets[0]!.failed === 2, { what: 'the second failure to be counted' });
      health = (await forwarding(t)).targets[0]!;
      expect(health).toMatchObject({ consecutiveFailures: 2, failing: true });
      answer = { status: 200 };
      await post(t, '{"n":3}');
      await flaky.waitFor(3);
      await waitUntil(async () => (await forwarding(t)).targets[0]!.forwarded === 1, { what: 'the success to be counted' });
      health = (await forwarding(t)).targets[0]!;
      expect(health).toMatchObject({ consecutiveFailures: 0, failing: false, forwarded: 1, failed: 2 });
      expect(health.lastSuccessAt).not.toBeNull();
      expect(logged).toEqual([
        `forward to ${flaky.url} failed: answered 500`,
        `forward to ${flaky.url} FAILED: no success for 0.2 s (2 deliveries failed in a row)`,
        `forward to ${flaky.url}: delivering again after 2 failed deliveries`,
      ]);
      expect(logged.join('\n')).not.toContain('never-logged-tok');
    } finally {
      await t.close();
      await flaky.close();
    }
  });
});

describe('forward targets with credentials', () => {
  it('keeps a target\'s user:password when the shown (redacted) list is sent back', async () => {
    const target = await startTarget();
    const spare = await startTarget();
    const withAuth = target.url.replace('http://', 'http://user:pa55@');
    const t = await startTestInspector({ forward: { targets: [withAuth, spare.url], token: null, keepSignature: false, failAfterMs: 900_000, concurrency: 1, retries: 0 } });
    try {
      const shown = (await forwarding(t)).targets.map((x) => x.url);
      expect(shown.join(' ')).not.toContain('pa55');
      // Remove the spare the way a UI does: send back the list it was shown, minus one.
      const res = await putForwarding(t, { targets: shown.filter((u) => !u.startsWith(spare.url.replace(/\/$/, ''))) });
      expect(res.status).toBe(200);
      await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"auth"}' });
      await target.waitFor(1);
      expect(header(target.received[0]!, 'authorization')).toEqual([`Basic ${Buffer.from('user:pa55').toString('base64')}`]);
      expect(spare.received).toHaveLength(0);
    } finally {
      await t.close();
      await target.close();
      await spare.close();
    }
  });
});
