// Bad input on every POST and PUT route of the API gets the same answer: 400
// { error, issues: [{ path, message }] } naming the field, for wrong types, unknown fields,
// negative counts and oversized values; nothing is started, stored or sent meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, rawRequest } from '../helpers/http.ts';

let t: TestInspector;
let id: number;
beforeAll(async () => {
  t = await startTestInspector();
  id = (await rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json']], body: '{"title":"one"}' })).json().id;
});
afterAll(() => t.close());

const target = 'http://127.0.0.1:9/hook';
const long = (n: number) => 'x'.repeat(n);
type Case = [what: string, body: Record<string, unknown>, field: string];

/** Route -> cases; every POST/PUT route with a body is here (the contract test lists them all). */
const ROUTES: [method: string, path: () => string, cases: Case[]][] = [
  ['PUT', () => '/api/settings/response', [
    ['wrong type', { status: '201' }, 'status'],
    ['unknown field', { status: 201, colour: 'red' }, 'colour'],
    ['negative', { delayMs: -1 }, 'delayMs'],
    ['oversized', { delayMs: 10_000_000 }, 'delayMs'],
  ]],
  ['POST', () => `/api/deliveries/${id}/replay`, [
    ['wrong type', { target: 42 }, 'target'],
    ['unknown field', { target, keepSignatures: true }, 'keepSignatures'],
    ['negative', { target, retries: -1 }, 'retries'],
    ['oversized', { target, timeoutMs: 1e9 }, 'timeoutMs'],
    ['oversized url', { target: `http://x/${long(5000)}` }, 'target'],
  ]],
  ['POST', () => '/api/replay', [
    ['wrong type', { target: [target] }, 'target'],
    ['unknown field', { target, query: 'sig:invalid' }, 'query'],
    ['negative', { target, concurrency: -3 }, 'concurrency'],
    ['oversized', { target, limit: 1e9 }, 'limit'],
  ]],
  ['POST', () => '/api/send', [
    ['wrong type', { all: true, count: '3' }, 'count'],
    ['unknown field', { all: true, colour: 'red' }, 'colour'],
    ['negative', { all: true, count: -1 }, 'count'],
    ['oversized', { types: Array.from({ length: 101 }, (_, i) => `t${i}`) }, 'types'],
  ]],
  ['PUT', () => '/api/forwarding', [
    ['wrong type', { enabled: 'yes' }, 'enabled'],
    ['unknown field', { enabled: true, target }, 'target'],
    ['negative', { targets: [target, ''] }, 'targets.1'],
    ['oversized', { token: long(2000) }, 'token'],
  ]],
  ['POST', () => '/api/checks', [
    ['wrong type', { url: 1, token: 't' }, 'url'],
    ['unknown field', { url: target, token: 't', burstSize: 3 }, 'burstSize'],
    ['negative', { url: target, token: 't', burst: -1 }, 'burst'],
    ['oversized', { url: target, token: 't', largeSize: 1e12 }, 'largeSize'],
  ]],
];

describe('bad input on every POST and PUT route', () => {
  for (const [method, path, cases] of ROUTES) {
    for (const [what, body, field] of cases) {
      it(`${method} ${path().replace(/\d+/, ':id')}: ${what} -> 400 naming ${field}`, async () => {
        const res = await apiRequest(t.uiUrl, path(), method, body);
        expect(res.status).toBe(400);
        const answer = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
        expect(answer).toEqual({ error: expect.any(String), issues: expect.any(Array) });
        expect(answer.issues.map((i) => i.path)).toContain(field);
        expect(answer.error).toContain(field);
        for (const issue of answer.issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
      });
    }
  }

  it('bad path parameters and queries get the same shape', async () => {
    for (const [method, path, field] of [['POST', '/api/deliveries/abc/replay', 'id'], ['POST', `/api/jobs/${long(100)}/stop`, 'id'], ['POST', '/api/checks/x/stop', 'id'],
      ['GET', '/api/deliveries?limit=-5', 'limit'], ['GET', '/api/histogram?buckets=100000', 'buckets'], ['GET', '/api/deliveries?colour=red', 'colour']] as const) {
      const res = method === 'GET' ? await fetch(new URL(path, t.uiUrl)) : await apiRequest(t.uiUrl, path, method, { target });
      expect(res.status, path).toBe(400);
      const answer = (await res.json()) as { issues: { path: string }[] };
      expect(answer.issues.map((i) => i.path), path).toContain(field);
    }
  });

  it('a body that is not JSON, or not an object, is a 400 too, and a token is never echoed', async () => {
    const notJson = await rawRequest(new URL('/api/send', t.uiUrl).href, { headers: [['Content-Type', 'application/json'], ['Origin', new URL(t.uiUrl).origin]], body: '{"all": tru' });
    expect(notJson.status).toBe(400);
    expect(notJson.json()).toMatchObject({ error: expect.any(String) });
    const array = await apiRequest(t.uiUrl, '/api/send', 'POST', [1, 2]);
    expect(array.status).toBe(400);
    const secret = 'zz-never-echo-this-token';
    const both = await apiRequest(t.uiUrl, `/api/deliveries/${id}/replay`, 'POST', { target, token: secret, keepSignature: true });
    expect(both.status).toBe(400);
    expect(await both.text()).not.toContain(secret);
  });

  it('started nothing and stored nothing', async () => {
    expect((await (await fetch(new URL('/api/jobs', t.uiUrl))).json()).items).toEqual([]);
    expect((await (await fetch(new URL('/api/checks', t.uiUrl))).json()).items).toEqual([]);
    expect((await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()).attempts).toEqual([]);
    expect((await (await fetch(new URL('/api/health', t.uiUrl))).json()).response).toEqual({ status: 200, delayMs: 0 });
  });
});
