// Failures can be worked, and forwarding tells the truth: a failing forward target counts
// failures in deliveries with retries apart, says since when (for the 15-minute mark), and
// "retry failed" forwards exactly its failed deliveries again; a bulk replay's failed ones
// are listed by "show the failed ones" and replayed again by "retry failed" (exactly those);
// targets added at run time are signed with the receiver's token (checked by octokit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import type { DeliveryPage, ForwardingState, ForwardRetry, JobStatus } from '../../server/common/protocol.ts';
import { DEFAULT_FORWARD_CONFIG } from '../../server/sender/forwarder.ts';
import { failedQuery } from '../../server/common/query.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { waitUntil } from '../helpers/wait.ts';
import { octokitValid, startTarget, type Target } from './sender-target.ts';

const RECEIVER_TOKEN = 'receiver-token-failures';
let t: TestInspector;
let target: Target;
let healthy = false;

const call = (method: string, path: string, body?: unknown) => fetch(new URL(path, t.uiUrl), {
  method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }),
});
const forwarding = async () => (await (await call('GET', '/api/forwarding')).json()) as ForwardingState;
const list = async (q: string) => (await (await call('GET', `/api/deliveries?q=${encodeURIComponent(q)}`)).json()) as DeliveryPage;

async function capture(path: string, n: number): Promise<number> {
  const body = JSON.stringify({ title: `event ${n}`, category: 'Other', event_type: 'discovery_complete', sensitivity: 'Low' });
  const res = await fetch(t.receiverUrl + path.slice(1), {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(RECEIVER_TOKEN, body) },
  });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}

beforeAll(async () => {
  target = await startTarget(() => (healthy ? { status: 200, body: '{}' } : { status: 503, body: 'busy' }));
  t = await startTestInspector({ tokens: [RECEIVER_TOKEN], forward: { ...DEFAULT_FORWARD_CONFIG, retries: 1, retryBaseMs: 5 } });
});
afterAll(async () => {
  await t.close();
  await target.close();
});

describe('forwarding failures', () => {
  it('signs a new target with the receiver token, counts failures in deliveries with retries apart, and retries the failed ones', async () => {
    const before = await forwarding();
    expect(before).toMatchObject({ signing: 'none', tokenSource: null, targets: [] });
    const put = await call('PUT', '/api/forwarding', { targets: [target.url] });
    const state = (await put.json()) as ForwardingState;
    expect(state).toMatchObject({ signing: 'token', tokenSource: 'receiver' });
    expect(JSON.stringify(state)).not.toContain(RECEIVER_TOKEN);

    const started = Date.now();
    const ids = [await capture('/fwd', 1), await capture('/fwd', 2)];
    // Two deliveries, each tried twice (retries: 1): four requests, two failures.
    await waitUntil(async () => (await forwarding()).targets[0]!.failed === 2, { what: 'two failed deliveries' });
    await waitUntil(async () => (await list(failedQuery('forward', target.url))).items.length === 2, { what: 'both failed attempts stored' });
    const health = (await forwarding()).targets[0]!;
    expect(target.received).toHaveLength(4);
    expect(await octokitValid(RECEIVER_TOKEN, target.received[0]!)).toBe(true);
    expect(health).toMatchObject({ failed: 2, consecutiveFailures: 2, retries: 2, forwarded: 0, failing: false, lastStatus: 503 });
    const since = Date.parse(health.failingSince!);
    expect(since).toBeGreaterThanOrEqual(started - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());

    // Show the failed ones: exactly these two.
    const q = failedQuery('forward', target.url);
    expect((await list(q)).items.map((d) => d.id).sort()).toEqual(ids);

    healthy = true;
    const retry = await call('POST', '/api/forwarding/retry', { target: target.url });
    expect(retry.status).toBe(200);
    expect((await retry.json()) as ForwardRetry).toEqual({ queued: 2, q });
    await waitUntil(async () => (await forwarding()).targets[0]!.forwarded === 2, { what: 'both forwarded again' });
    const after = (await forwarding()).targets[0]!;
    expect(after).toMatchObject({ consecutiveFailures: 0, failingSince: null, failed: 2, retries: 2 });
    expect(target.received).toHaveLength(6);
    // Forward attempts are stored in batches (within ~20 ms of the try): wait for the rows to say so.
    await waitUntil(async () => (await list(q)).items.length === 0, { what: 'the failed search empty once the attempts are stored' });
    expect((await list('forward:ok path:/fwd')).items.map((d) => d.id).sort()).toEqual(ids);
    healthy = false;
  });

  it('answers 404 for a target that is not forwarded to', async () => {
    const res = await call('POST', '/api/forwarding/retry', { target: 'http://127.0.0.1:9/none' });
    expect(res.status).toBe(404);
  });

  it('keeps a signing chosen explicitly when targets change', async () => {
    await call('PUT', '/api/forwarding', { targets: [], token: null });
    const state = (await (await call('PUT', '/api/forwarding', { targets: [target.url] })).json()) as ForwardingState;
    expect(state).toMatchObject({ signing: 'none', tokenSource: null });
    await call('PUT', '/api/forwarding', { targets: [] });
  });
});

describe('bulk replay failures', () => {
  it('retries exactly the failed deliveries of a job to the same target', async () => {
    const ids = [await capture('/bulk', 1), await capture('/bulk', 2), await capture('/bulk', 3)];
    let n = 0;
    const flaky = await startTarget(() => (n++ % 2 === 0 ? { status: 500, body: 'no' } : { status: 200, body: 'ok' }));
    try {
      const res = await call('POST', '/api/replay', { q: 'path:/bulk', target: flaky.url, keepSignature: true });
      const job = (await res.json()) as JobStatus;
      await waitUntil(async () => ((await (await call('GET', `/api/jobs/${job.id}`)).json()) as JobStatus).state === 'done', { what: 'the job' });
      const done = (await (await call('GET', `/api/jobs/${job.id}`)).json()) as JobStatus;
      // Requests 1 and 3 failed (500), request 2 succeeded: oldest first.
      expect(done).toMatchObject({ total: 3, ok: 1, failed: 2 });
      const failedIds = [ids[0]!, ids[2]!];
      expect((await list(failedQuery('replay', flaky.url))).items.map((d) => d.id).sort()).toEqual(failedIds);

      const bodiesBefore = flaky.received.length;
      const retry = await call('POST', '/api/replay', { retryFailedOf: job.id, target: flaky.url, keepSignature: true });
      expect(retry.status).toBe(202);
      const again = (await retry.json()) as JobStatus;
      expect(again.total).toBe(2);
      await waitUntil(async () => ((await (await call('GET', `/api/jobs/${again.id}`)).json()) as JobStatus).state === 'done', { what: 'the retry' });
      const titles = flaky.received.slice(bodiesBefore).map((r) => (JSON.parse(r.body.toString('utf8')) as { title: string }).title);
      expect(titles).toEqual(['event 1', 'event 3']);
    } finally {
      await flaky.close();
    }
  });

  it('refuses q together with retryFailedOf, and an unknown job', async () => {
    expect((await call('POST', '/api/replay', { q: 'x', retryFailedOf: 'abcdefgh', target: 'http://127.0.0.1:9/', keepSignature: true })).status).toBe(400);
    expect((await call('POST', '/api/replay', { retryFailedOf: 'abcdefgh', target: 'http://127.0.0.1:9/', keepSignature: true })).status).toBe(404);
  });
});
