// Replay through the API against an independent target: byte-identical bodies re-signed or
// with the stored header verbatim, replay with changes, a 302 not followed, a hanging
// target timed out, bulk jobs with progress on the stream and a stop, tokens never echoed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sign } from '@octokit/webhooks-methods';
import type { Attempt, DeliveryDetail, JobStatus, StreamMessage } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { header, octokitValid, sha256, startTarget, type Target } from './sender-target.ts';
import { holdStill, waitUntil } from '../helpers/wait.ts';

const RECEIVER_TOKEN = 'receiver-token-A';
const CONNECTOR_TOKEN = 'connector-token-B';
// Unusual but valid bytes: spacing, a BOM-free multi-byte title, a trailing newline.
const BODY = '{ "title" : "Ünïcode ✓ \\u00e9",\n  "category":"Data at risk", "event_type":"new_data_type" , "x": [1,2 ] }\n';

let t: TestInspector;
let target: Target;

async function capture(body: string): Promise<number> {
  const res = await fetch(t.receiverUrl + 'hooks/soveren', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(RECEIVER_TOKEN, body) },
    body,
  });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}

const api = (path: string, body: unknown) => fetch(new URL(path, t.uiUrl), {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const detail = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;

beforeAll(async () => {
  t = await startTestInspector({ tokens: [RECEIVER_TOKEN] });
  target = await startTarget((c) => (c.url === '/slow' ? { delayMs: 250, status: 200 } : { status: 202, body: '{"accepted":true}', headers: { 'x-target': 'yes' } }));
});
afterAll(async () => {
  await target.close();
  await t.close();
});

describe('POST /api/deliveries/:id/replay', () => {
  it('re-signs with the given token and sends the stored bytes exactly', async () => {
    const id = await capture(BODY);
    const res = await api(`/api/deliveries/${id}/replay`, { target: target.url, token: CONNECTOR_TOKEN });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(CONNECTOR_TOKEN);
    const attempt = JSON.parse(text) as Attempt;
    expect(attempt).toMatchObject({ kind: 'replay', target: target.url, status: 202, ok: true, error: null, responseBody: '{"accepted":true}' });
    expect(attempt.responseHeaders).toContainEqual(['x-target', 'yes']);
    const got = target.received[target.received.length - 1]!;
    expect(sha256(got.body)).toBe((await detail(id)).bodySha256);
    expect(got.body.toString('utf8')).toBe(BODY);
    expect(header(got, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
    expect(header(got, 'content-type')).toEqual(['application/json']);
    expect(await octokitValid(CONNECTOR_TOKEN, got)).toBe(true);
    expect(await octokitValid(RECEIVER_TOKEN, got)).toBe(false);
    const d = await detail(id);
    expect(d.attempts.map((a) => a.id)).toEqual([attempt.id]);
    expect(JSON.stringify(d)).not.toContain(CONNECTOR_TOKEN);
  });

  it('keepSignature sends the stored header verbatim', async () => {
    const id = await capture(BODY + ' ');
    const stored = (await detail(id)).headers.find(([k]) => k.toLowerCase() === 'x-soveren-signature')![1];
    const attempt = (await (await api(`/api/deliveries/${id}/replay`, { target: target.url, keepSignature: true })).json()) as Attempt;
    expect(attempt.ok).toBe(true);
    const got = target.received[target.received.length - 1]!;
    expect(header(got, 'x-soveren-signature')).toEqual([stored]);
    expect(got.body.toString('utf8')).toBe(BODY + ' ');
    expect(await octokitValid(RECEIVER_TOKEN, got)).toBe(true);
  });

  it('replays with changes: the edited body, signed afresh; never with the stored signature', async () => {
    const id = await capture(BODY + '  ');
    const edited = '{"title":"edited","event_type":"new_data_type"}';
    const attempt = (await (await api(`/api/deliveries/${id}/replay`, { target: target.url, token: CONNECTOR_TOKEN, body: edited })).json()) as Attempt;
    expect(attempt.ok).toBe(true);
    const got = target.received[target.received.length - 1]!;
    expect(got.body.toString('utf8')).toBe(edited);
    expect(await octokitValid(CONNECTOR_TOKEN, got)).toBe(true);
    const refused = await api(`/api/deliveries/${id}/replay`, { target: target.url, keepSignature: true, body: edited });
    expect(refused.status).toBe(400);
  });

  it('records a 302 as a failure and does not follow it', async () => {
    const elsewhere = await startTarget();
    const redirecting = await startTarget(() => ({ status: 302, headers: { location: elsewhere.url } }));
    try {
      const id = await capture(BODY + '\n\n');
      const attempt = (await (await api(`/api/deliveries/${id}/replay`, { target: redirecting.url, token: CONNECTOR_TOKEN })).json()) as Attempt;
      expect(attempt).toMatchObject({ status: 302, ok: false });
      expect(attempt.error).toMatch(/not followed/);
      expect(redirecting.received).toHaveLength(1);
      expect(elsewhere.received).toHaveLength(0);
      expect((await detail(id)).attempts[0]).toMatchObject({ status: 302, ok: false });
    } finally {
      await Promise.all([elsewhere.close(), redirecting.close()]);
    }
  });

  it('times out a target that never answers', async () => {
    const hanging = await startTarget(() => ({ hang: true }));
    try {
      const id = await capture(BODY + '\t');
      const attempt = (await (await api(`/api/deliveries/${id}/replay`, { target: hanging.url, token: CONNECTOR_TOKEN, timeoutMs: 300 })).json()) as Attempt;
      expect(attempt).toMatchObject({ status: null, ok: false, error: 'timed out after 300 ms' });
      expect(attempt.durationMs).toBeGreaterThanOrEqual(290);
      expect(attempt.durationMs).toBeLessThan(3000);
    } finally {
      await hanging.close();
    }
  });

  it('answers 404 for an unknown delivery and 400 for a bad target or both signing modes', async () => {
    expect((await api('/api/deliveries/999999/replay', { target: target.url })).status).toBe(404);
    const id = await capture(BODY + '\r\n');
    expect((await api(`/api/deliveries/${id}/replay`, { target: 'file:///etc/passwd' })).status).toBe(400);
    expect((await api(`/api/deliveries/${id}/replay`, {})).status).toBe(400);
    const both = await api(`/api/deliveries/${id}/replay`, { target: target.url, token: 'sekrit-xyz', keepSignature: true });
    expect(both.status).toBe(400);
    expect(await both.text()).not.toContain('sekrit-xyz');
  });
});

describe('bulk replay jobs', () => {
  function collectJobs(): { messages: JobStatus[]; ws: WebSocket; ready: Promise<void> } {
    const ws = new WebSocket(new URL('/api/stream', t.uiUrl.replace('http', 'ws')));
    const messages: JobStatus[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as StreamMessage;
      if (m.type === 'job') messages.push(m.job);
    });
    return { messages, ws, ready: new Promise((r) => ws.once('open', () => r())) };
  }

  it('replays every match, pushing progress on the stream until done', async () => {
    const ids = [await capture('{"event_type":"bulk_one","n":1}'), await capture('{"event_type":"bulk_one","n":2}'), await capture('{"event_type":"bulk_one","n":3}')];
    const stream = collectJobs();
    await stream.ready;
    const before = target.received.length;
    const res = await api('/api/replay', { q: 'event_type:bulk_one', target: target.url, token: CONNECTOR_TOKEN, concurrency: 2 });
    expect(res.status).toBe(202);
    const job = (await res.json()) as JobStatus;
    expect(job).toMatchObject({ kind: 'replay', total: 3, state: 'running' });
    await waitUntil(() => stream.messages.at(-1)?.state === 'done', { what: 'the job to be done' });
    stream.ws.close();
    expect(stream.messages.at(-1)).toMatchObject({ id: job.id, state: 'done', done: 3, ok: 3, failed: 0 });
    expect(await (await fetch(new URL(`/api/jobs/${job.id}`, t.uiUrl))).json()).toMatchObject({ state: 'done', ok: 3 });
    const bodies = target.received.slice(before).map((c) => c.body.toString('utf8')).sort();
    expect(bodies).toEqual(['{"event_type":"bulk_one","n":1}', '{"event_type":"bulk_one","n":2}', '{"event_type":"bulk_one","n":3}']);
    for (const id of ids) expect((await detail(id)).attempts).toHaveLength(1);
  });

  it('stops on request: running tries end, nothing new starts', async () => {
    for (let n = 0; n < 5; n++) await capture(`{"event_type":"bulk_two","n":${n}}`);
    const slowHits = () => target.received.filter((c) => c.url === '/slow').length;
    const before = slowHits();
    const job = (await (await api('/api/replay', { q: 'event_type:bulk_two', target: target.url.replace('/hook', '/slow'), concurrency: 1 })).json()) as JobStatus;
    // The first try is in flight (the target holds each one 250 ms): stop now.
    await waitUntil(() => slowHits() > before, { what: 'the first try to reach the target' });
    const stopped = (await (await api(`/api/jobs/${job.id}/stop`, {})).json()) as JobStatus;
    expect(stopped.state).toBe('stopped');
    const started = slowHits() - before;
    expect(started).toBeLessThan(5);
    // Only to prove that nothing new starts: well past two more 250 ms tries, none arrives.
    await holdStill(700);
    expect(slowHits() - before).toBe(started);
    // The running try ended and was counted; the job stays stopped.
    await waitUntil(async () => ((await (await fetch(new URL(`/api/jobs/${job.id}`, t.uiUrl))).json()) as JobStatus).done === started, { what: 'the running try to be counted' });
    expect(await (await fetch(new URL(`/api/jobs/${job.id}`, t.uiUrl))).json()).toMatchObject({ state: 'stopped', done: started, total: 5 });
    expect((await fetch(new URL('/api/jobs/nope', t.uiUrl))).status).toBe(404);
  });
});
