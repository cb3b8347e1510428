// POST /api/checks on the real inspector: results pushed live on /api/stream, the run stored
// and listed newest first, the token stored and echoed nowhere, bad input answered 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { CheckRun, CheckRunPage, CheckRunSummary, StreamMessage } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, getJson, rawRequest } from '../helpers/http.ts';
import { waitUntil } from '../helpers/wait.ts';
import { openStream } from '../helpers/stream.ts';
import { startConnector, type Connector } from './check-connectors.ts';

const TOKEN = 'whsec-Api-Check-7b2e91';
let t: TestInspector;
let strict: Connector;
let lax: Connector;
let slow: Connector;

beforeAll(async () => {
  t = await startTestInspector();
  [strict, lax, slow] = await Promise.all([startConnector('strict', TOKEN), startConnector('accepts-bad-signatures', TOKEN), startConnector('slow', TOKEN)]);
});
afterAll(async () => {
  await t.close();
  await Promise.all([strict.close(), lax.close(), slow.close()]);
});

const isRunDone = (id: number) => (ms: StreamMessage[]) => ms.some((m) => m.type === 'check-run' && m.run.id === id && m.run.state !== 'running');

async function startRun(body: object): Promise<CheckRunSummary> {
  const res = await apiRequest(t.uiUrl, '/api/checks', 'POST', body);
  expect(res.status).toBe(202);
  return (await res.json()) as CheckRunSummary;
}

describe('/api/checks', () => {
  it('runs a check, pushes every result on the stream as it lands, and stores the run', async () => {
    const stream = await openStream(t.uiUrl);
    const started = await startRun({ url: strict.url, token: TOKEN, burst: 10, timeoutMs: 3000 });
    expect(started).toMatchObject({ state: 'running', url: strict.url, settings: { burst: 10, timeoutMs: 3000, expectReject: [401, 403] } });
    await stream.waitFor(isRunDone(started.id));
    const results = stream.messages.flatMap((m) => (m.type === 'check' && m.runId === started.id ? [m.result] : []));
    expect(results.map((r) => r.id)).toEqual(started.planned.map((p) => p.id));
    const finished = stream.messages.find((m) => m.type === 'check-run' && m.run.id === started.id && m.run.state !== 'running');
    expect(finished).toMatchObject({ run: { state: 'passed', counts: { failed: 0, total: started.planned.length } } });
    await stream.close();

    const run = await getJson<CheckRun>(new URL(`/api/checks/${started.id}`, t.uiUrl).href);
    expect(run).toMatchObject({ id: started.id, state: 'passed', counts: { failed: 0, info: 3 } });
    expect(run.results).toEqual(results);
    expect(run.finishedAt).not.toBeNull();
  });

  it('stores a failing run as failed, with the failing scenarios and reasons, newest first in the history', async () => {
    const started = await startRun({ url: lax.url, token: TOKEN, only: 'signature,category-other' });
    const run = await waitForState(started.id);
    expect(run.state).toBe('failed');
    expect(run.results.filter((r) => r.outcome === 'fail')).toHaveLength(6);
    expect(run.results.find((r) => r.id === 'signature-other-token')!.reason).toContain('does not verify signatures');

    const page = await getJson<CheckRunPage>(new URL('/api/checks', t.uiUrl).href);
    expect(page.items[0]!.id).toBe(started.id);
    expect(page.items.map((r) => r.id)).toEqual([...page.items.map((r) => r.id)].sort((a, b) => b - a));
    const firstPage = await getJson<CheckRunPage>(new URL('/api/checks?limit=1', t.uiUrl).href);
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.next).toBe(started.id);
    const second = await getJson<CheckRunPage>(new URL(`/api/checks?limit=1&before=${firstPage.next}`, t.uiUrl).href);
    expect(second.items[0]!.id).toBeLessThan(started.id);
  });

  it('never stores or echoes the token', async () => {
    const texts = await Promise.all(['/api/checks', '/api/checks/1', '/api/checks/2'].map(async (p) => (await fetch(new URL(p, t.uiUrl))).text()));
    for (const text of texts) expect(text).not.toContain(TOKEN);
    t.inspector.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = [t.dbPath, `${t.dbPath}-wal`].map((f) => { try { return readFileSync(f); } catch { return Buffer.alloc(0); } });
    expect(files[0]!.length).toBeGreaterThan(0);
    for (const bytes of files) expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('answers bad input with 400 naming the field, one run at a time with 409, and unknown runs with 404', async () => {
    const post = (body: object) => apiRequest(t.uiUrl, '/api/checks', 'POST', body);
    const bad = await Promise.all([
      post({ token: TOKEN }), post({ url: 'ftp://x/', token: TOKEN }), post({ url: strict.url }),
      post({ url: strict.url, token: TOKEN, burst: 0 }), post({ url: strict.url, token: TOKEN, expectReject: [200] }),
      post({ url: strict.url, token: TOKEN, only: 'nothing-matches-this' }), post({ url: strict.url, token: TOKEN, tokn: 'x' }),
    ]);
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    const errors = await Promise.all(bad.map(async (r) => ((await r.json()) as { error: string }).error));
    expect(errors).toEqual([expect.stringMatching(/^url/), expect.stringMatching(/^url/), expect.stringMatching(/^token/),
      expect.stringMatching(/^burst/), expect.stringMatching(/^expectReject/), expect.stringMatching(/^only/), expect.stringMatching(/^tokn: unknown field/)]);
    for (const e of errors) expect(e).not.toContain(TOKEN);

    const running = await startRun({ url: slow.url, token: TOKEN, timeoutMs: 2000, only: 'event_type' });
    const busy = await post({ url: strict.url, token: TOKEN });
    expect(busy.status).toBe(409);
    const stopped = await apiRequest(t.uiUrl, `/api/checks/${running.id}/stop`, 'POST', {});
    expect(stopped.status).toBe(200);
    expect((await waitForState(running.id)).state).toBe('interrupted');

    expect((await fetch(new URL('/api/checks/999999', t.uiUrl))).status).toBe(404);
    expect((await fetch(new URL('/api/checks/abc', t.uiUrl))).status).toBe(400);
    expect((await fetch(new URL('/api/checks?limit=0', t.uiUrl))).status).toBe(400);
  });

  it('marks a run cut off by a shutdown as interrupted, and keeps the history across a restart', async () => {
    const running = await startRun({ url: slow.url, token: TOKEN, timeoutMs: 2000, only: 'event_type' });
    await t.restart();
    // A fresh connection: fetch's pool may still hold a keep-alive socket to the closed listener.
    const run = (await rawRequest(new URL(`/api/checks/${running.id}`, t.uiUrl).href, { method: 'GET' })).json<CheckRun>();
    expect(run.state).toBe('interrupted');
    expect(run.results.length).toBeLessThan(29);
    const page = (await rawRequest(new URL('/api/checks', t.uiUrl).href, { method: 'GET' })).json<CheckRunPage>();
    expect(page.items.map((r) => r.state)).toContain('passed');
  });
});

/** The stored run once it is no longer running. */
async function waitForState(id: number): Promise<CheckRun> {
  let run: CheckRun | null = null;
  await waitUntil(async () => (run = await getJson<CheckRun>(new URL(`/api/checks/${id}`, t.uiUrl).href)).state !== 'running', { what: `check run ${id} to finish` });
  return run!;
}
