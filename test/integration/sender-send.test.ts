// Test events: all 29 types arrive at an independent receiver exactly as Soveren sends them,
// each tamper variant fails verification the way it claims, and POST /api/send signs with
// the receiver's token, stores the deliveries with a send attempt, and never echoes a token;
// it runs as a job with progress on the stream and stops on request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, categoryOfEventType } from '../../server/common/catalog.ts';
import { sendEvents } from '../../server/sender/send-events.ts';
import type { DeliveryDetail, SendResponse, TamperKind } from '../../server/common/protocol.ts';
import { apiRequest } from '../helpers/http.ts';
import { holdStill } from '../helpers/wait.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { openStream, type StreamClient } from '../helpers/stream.ts';
import { header, octokitValid, startTarget, type Target } from './sender-target.ts';

const TOKEN = 'whsec-independent-Ü-token';
const base = { count: 1, seed: 7, categoryForm: 'display' as const, concurrency: 4, ratePerSec: null, timeoutMs: 5000 };

describe('sendEvents to an independent receiver', () => {
  let target: Target;
  beforeAll(async () => { target = await startTarget(); });
  afterAll(async () => { await target.close(); });

  it('delivers all 29 types, validly signed, with exactly the headers Soveren sends', async () => {
    const results = await sendEvents({ ...base, to: target.url, token: TOKEN, types: EVENT_TYPES, tamper: null });
    expect(results).toHaveLength(29);
    expect(results.every((r) => r.ok && r.status === 200)).toBe(true);
    expect(target.received).toHaveLength(29);
    const seen = new Set<string>();
    for (const c of target.received) {
      expect(c.method).toBe('POST');
      expect(c.url).toBe('/hook');
      expect(header(c, 'content-type')).toEqual(['application/json']);
      expect(header(c, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
      expect(header(c, 'x-soveren-signature')[0]).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(header(c, 'content-length')).toEqual([String(c.body.length)]);
      expect(await octokitValid(TOKEN, c)).toBe(true);
      const event = JSON.parse(c.body.toString('utf8')) as { event_type: string; category: string };
      expect(event.category).toBe(categoryOfEventType(event.event_type)?.display);
      seen.add(event.event_type);
    }
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('sends no signature header without a token', async () => {
    const before = target.received.length;
    await sendEvents({ ...base, to: target.url, token: null, types: ['new_data_type'], tamper: null });
    expect(header(target.received[before]!, 'x-soveren-signature')).toEqual([]);
  });

  const claims: Record<TamperKind, (c: Target['received'][number]) => Promise<void>> = {
    async body(c) {
      expect(await octokitValid(TOKEN, c)).toBe(false);
      expect(JSON.parse(c.body.toString('utf8')).title).toMatch(/\(tampered\)$/); // still JSON: only the signature is off
    },
    async signature(c) {
      expect(header(c, 'x-soveren-signature')[0]).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(await octokitValid(TOKEN, c)).toBe(false);
      expect(await octokitValid(`${TOKEN}~another-token`, c)).toBe(true);
    },
    async 'missing-signature'(c) {
      expect(header(c, 'x-soveren-signature')).toEqual([]);
      expect(header(c, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
    },
    async 'user-agent'(c) {
      expect(await octokitValid(TOKEN, c)).toBe(true);
      expect(header(c, 'user-agent')[0]).not.toBe('SoverenWebhook/1.0');
    },
    async 'malformed-json'(c) {
      expect(await octokitValid(TOKEN, c)).toBe(true);
      expect(() => JSON.parse(c.body.toString('utf8'))).toThrow();
    },
  };

  for (const [kind, check] of Object.entries(claims) as [TamperKind, (typeof claims)[TamperKind]][]) {
    it(`tamper ${kind} fails verification the way it claims`, async () => {
      const before = target.received.length;
      await sendEvents({ ...base, to: target.url, token: TOKEN, types: ['anomaly_detected', 'policy_public_s3_bucket'], tamper: kind });
      expect(target.received.length).toBe(before + 2);
      for (const c of target.received.slice(before)) await check(c);
    });
  }
});

describe('POST /api/send', () => {
  let t: TestInspector;
  const post = (body: unknown) => fetch(new URL('/api/send', t.uiUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  beforeAll(async () => { t = await startTestInspector({ tokens: ['receiver-secret-1'] }); });
  afterAll(async () => { await t.close(); });

  it('sends to the own receiver, signed with its token; deliveries stored valid with a send attempt', async () => {
    const res = await post({ category: 'Policy violation', seed: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SendResponse;
    expect(body.summary).toMatchObject({ sent: 5, ok: 5, failed: 0, signed: true, passed: true, seed: 3 });
    expect(body.results.every((r) => r.deliveryId !== null)).toBe(true);
    const detail = (await (await fetch(new URL(`/api/deliveries/${body.results[0]!.deliveryId}`, t.uiUrl))).json()) as DeliveryDetail;
    expect(detail.signature).toBe('valid');
    expect(detail.categoryFacet).toBe('data_at_risk');
    expect(detail.attempts).toHaveLength(1);
    expect(detail.attempts[0]).toMatchObject({ kind: 'send', status: 200, ok: true });
  });

  it('tampered deliveries are refused by the own receiver; the run passes', async () => {
    const body = (await (await post({ types: ['new_data_type'], count: 3, tamper: 'body' })).json()) as SendResponse;
    expect(body.summary).toMatchObject({ sent: 3, ok: 0, acceptedTampered: 0, passed: true, tamper: 'body' });
    expect(body.results.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  it('never echoes a given token, and reports bad input as 400 naming the field', async () => {
    const secret = 'caller-token-9f8e7d';
    const res = await post({ types: ['new_data_type'], token: secret });
    expect(await res.text()).not.toContain(secret);
    for (const [bad, field] of [[{}, 'type'], [{ all: true, types: ['x'] }, 'all'], [{ category: 'nope' }, 'category'],
      [{ all: true, count: 100 }, 'over 1000'], [{ all: true, tamper: 'nope' }, 'tamper'], [{ all: true, to: 'ftp://x' }, 'to']] as const) {
      const r = await post(bad);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toContain(field);
    }
  });
});

describe('POST /api/send as a job: progress on the stream, stop', () => {
  let t: TestInspector;
  let slow: Target;
  const send = (body: unknown) => apiRequest(t.uiUrl, '/api/send', 'POST', body);
  const jobsOf = (stream: StreamClient, id: string) =>
    stream.messages.flatMap((m) => (m.type === 'job' && m.job.id === id ? [m.job] : []));
  beforeAll(async () => {
    t = await startTestInspector();
    slow = await startTarget(() => ({ status: 200, body: '{"ok":true}', delayMs: 100 }));
  });
  afterAll(async () => {
    await slow.close();
    await t.close();
  });

  it('publishes job messages under the given id while sending, up to done', async () => {
    const stream = await openStream(t.uiUrl);
    try {
      const res = await send({ to: slow.url, types: ['new_data_type'], count: 6, concurrency: 1, jobId: 'send-progress-1' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as SendResponse;
      expect(body.summary).toMatchObject({ sent: 6, ok: 6, passed: true });
      expect(body.results).toHaveLength(6);
      expect(body.job).toMatchObject({ id: 'send-progress-1', kind: 'send', state: 'done', total: 6, done: 6, ok: 6, failed: 0 });
      await stream.waitFor(() => jobsOf(stream, 'send-progress-1').at(-1)?.state === 'done');
      const seen = jobsOf(stream, 'send-progress-1');
      expect(seen.every((j) => j.kind === 'send' && j.total === 6 && j.target === slow.url)).toBe(true);
      expect(seen[0]).toMatchObject({ state: 'running', done: 0 });
      // ~600 ms of sending with progress at most every 200 ms: some in between.
      expect(seen.some((j) => j.state === 'running' && j.done > 0 && j.done < 6)).toBe(true);
      const done = seen.map((j) => j.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(seen.at(-1)).toMatchObject({ state: 'done', done: 6, ok: 6 });
    } finally {
      await stream.close();
    }
  });

  it('stops on POST /api/jobs/:id/stop; the send answers 200 with what was sent so far', async () => {
    const stream = await openStream(t.uiUrl);
    const before = slow.received.length;
    try {
      const answer = send({ to: slow.url, types: ['new_data_type'], count: 40, concurrency: 2, jobId: 'send-stop-0001' });
      await stream.waitFor(() => (jobsOf(stream, 'send-stop-0001').at(-1)?.done ?? 0) >= 2);
      const stop = await apiRequest(t.uiUrl, '/api/jobs/send-stop-0001/stop', 'POST', {});
      expect(stop.status).toBe(200);
      expect(await stop.json()).toMatchObject({ id: 'send-stop-0001', kind: 'send', state: 'stopped' });
      const res = await answer;
      expect(res.status).toBe(200);
      const body = (await res.json()) as SendResponse;
      expect(body.results.length).toBeGreaterThanOrEqual(2);
      expect(body.results.length).toBeLessThan(40);
      expect(body.summary.sent).toBe(body.results.length);
      expect(body.job).toMatchObject({ id: 'send-stop-0001', state: 'stopped', total: 40, done: body.results.length });
      expect(body.summary.passed).toBe(false);
      expect(slow.received.length - before).toBeLessThan(40);
      await stream.waitFor(() => jobsOf(stream, 'send-stop-0001').at(-1)?.state === 'stopped');
      // Only to prove that nothing more goes out once stopped: after a pause, the target has
      // seen at most the requests the answer accounts for (one in flight at the stop may land late).
      await holdStill(300);
      expect(slow.received.length - before).toBeLessThanOrEqual(body.results.length);
    } finally {
      await stream.close();
    }
  });

  it('refuses a malformed jobId with 400 naming jobId', async () => {
    for (const jobId of ['short', 'has space in it', 'x'.repeat(65), 'ümlaut-id-1', 12345678]) {
      const res = await send({ types: ['new_data_type'], jobId });
      expect(res.status, String(jobId)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('jobId');
    }
  });
});
