// Outcomes as query fields (issue 15): real replays and live forwards against an independent
// target, then replay:/forward:/attempt:/after:/before: through the API, the summaries'
// latest outcome, facets and histogram under them, bad values answered 400, and the CLI's
// --query reading the same fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliverySummary, Facets, Histogram } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startTarget, type Target } from './sender-target.ts';
import { runCli } from '../helpers/cli.ts';

let t: TestInspector;
let target: Target;
const ids: Record<string, number> = {};

async function capture(name: string): Promise<number> {
  const body = JSON.stringify({ title: `delivery ${name}`, event_type: 'new_data_type', category: 'Infrastructure updates' });
  const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(res.status).toBe(200);
  return (ids[name] = Number(res.headers.get('x-soveren-inspector-id')));
}

async function replay(id: number, path: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(new URL(`/api/deliveries/${id}/replay`, t.uiUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: new URL(`/${path}`, target.url).href, keepSignature: true, ...extra }),
  });
  expect(res.status).toBe(200);
}

async function list(q: string): Promise<DeliverySummary[]> {
  const res = await fetch(new URL(`/api/deliveries?q=${encodeURIComponent(q)}`, t.uiUrl));
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { items: DeliverySummary[] }).items;
}
const names = async (q: string) => (await list(q)).map((d) => Object.keys(ids).find((k) => ids[k] === d.id));

beforeAll(async () => {
  target = await startTarget((c) => {
    if (c.url === '/fwd') return { status: c.body.includes('fwd-fail') ? 500 : 200 };
    if (c.url === '/fail') return { status: 503 };
    if (c.url === '/auth') return { status: 401 };
    if (c.url === '/hang') return { hang: true };
    return { status: 200 };
  });
  t = await startTestInspector({ forward: { targets: [new URL('/fwd', target.url).href], token: null, keepSignature: true, failAfterMs: 900_000, concurrency: 1, retries: 0 } });
  for (const name of ['a', 'b', 'c', 'd', 'e', 'fwd-fail']) await capture(name);
  await target.waitFor(6); // every delivery forwarded once
  for (let i = 0; i < 100 && (await list('-forward:none')).length < 6; i++) await new Promise((r) => setTimeout(r, 20));
  await replay(ids.a!, 'ok');
  await replay(ids.b!, 'fail');
  await replay(ids.b!, 'ok'); // latest ok, but it had a 503 once
  await replay(ids.c!, 'auth');
  await replay(ids.d!, 'hang', { timeoutMs: 200 });
});
afterAll(async () => {
  await t.close();
  await target.close();
});

describe('outcome query fields', () => {
  it('replay: and forward: follow the latest attempt of each kind, newest first', async () => {
    expect(await names('replay:ok')).toEqual(['b', 'a']);
    expect(await names('replay:failed')).toEqual(['d', 'c']);
    expect(await names('replay:none')).toEqual(['fwd-fail', 'e']);
    expect(await names('-replay:none')).toEqual(['d', 'c', 'b', 'a']);
    expect(await names('-replay:failed')).toEqual(['fwd-fail', 'e', 'b', 'a']);
    expect(await names('forward:failed')).toEqual(['fwd-fail']);
    expect(await names('forwarded:ok replay:failed')).toEqual(['d', 'c']);
    expect(await names('forward:none')).toEqual([]);
  });

  it('attempt: matches any attempt by status, class, timeout or error', async () => {
    expect(await names('attempt:5xx')).toEqual(['fwd-fail', 'b']);
    expect(await names('attempt:503')).toEqual(['b']);
    expect(await names('attempt:401')).toEqual(['c']);
    expect(await names('attempt:timeout')).toEqual(['d']);
    expect(await names('attempt:error')).toEqual(['d']);
    expect(await names('attempt:2xx -attempt:5xx')).toEqual(['e', 'd', 'c', 'a']);
    expect(await names('attempt:failed')).toEqual(['fwd-fail', 'd', 'c', 'b']);
  });

  it('via:, target: and attempt: together describe one attempt', async () => {
    expect(await names('via:replay attempt:5xx')).toEqual(['b']);
    expect(await names('via:forward attempt:5xx')).toEqual(['fwd-fail']);
    expect(await names('via:forward attempt:503')).toEqual([]);
    expect(await names('-via:replay')).toEqual(['fwd-fail', 'e']);
    expect(await names(`target:"${new URL('/auth', target.url).href}"`)).toEqual(['c']);
    expect(await names(`target:${new URL('/', target.url).href}* via:replay attempt:ok`)).toEqual(['b', 'a']);
    expect(await names(`-target:${new URL('/fwd', target.url).href}`)).toEqual([]);
    expect(await names('via:check')).toEqual([]);
  });

  it('after: and before: take ISO and relative times', async () => {
    expect(await names('after:1h')).toHaveLength(6);
    expect(await names('before:1h')).toEqual([]);
    expect(await names(`after:${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    expect(await names(`before:${new Date(Date.now() + 60_000).toISOString()} replay:ok`)).toEqual(['b', 'a']);
    expect(await names('since:1d -after:2d')).toEqual([]);
  });

  it('carries the latest replay and forward outcome on each summary', async () => {
    const byName = new Map((await list('')).map((d) => [Object.keys(ids).find((k) => ids[k] === d.id), d]));
    expect(byName.get('b')!.replay).toEqual({ outcome: 'ok', status: 200 });
    expect(byName.get('c')!.replay).toEqual({ outcome: 'failed', status: 401 });
    expect(byName.get('d')!.replay).toEqual({ outcome: 'failed', status: null });
    expect(byName.get('e')!.replay).toBeNull();
    expect(byName.get('fwd-fail')!.forward).toEqual({ outcome: 'failed', status: 500 });
    expect(byName.get('a')!.forward).toEqual({ outcome: 'ok', status: 200 });
  });

  it('counts facets and the histogram under the new fields', async () => {
    const facets = (await (await fetch(new URL('/api/facets?q=replay:failed', t.uiUrl))).json()) as Facets;
    expect(facets.total).toBe(2);
    const histogram = (await (await fetch(new URL('/api/histogram?q=attempt:5xx', t.uiUrl))).json()) as Histogram;
    expect(histogram.buckets.flatMap((b) => Object.values(b.counts)).reduce((a, b) => a + b, 0)).toBe(2);
    expect((await (await fetch(new URL('/api/facets?attempt=401', t.uiUrl))).json()).total).toBe(1);
  });

  it('answers a value that means nothing with a 400 naming the field', async () => {
    for (const [q, field] of [['replay:maybe', 'replay:'], ['attempt:slow', 'attempt:'], ['after:yesterday', 'after:'], ['before:15x', 'before:'], ['via:mail', 'via:']] as const) {
      for (const path of ['deliveries', 'facets', 'histogram']) {
        const res = await fetch(new URL(`/api/${path}?q=${encodeURIComponent(q)}`, t.uiUrl));
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toContain(field);
      }
    }
  });

  it('reads the same fields in the CLI --query, and refuses a bad value naming the flag', async () => {
    const out = await runCli(['export', '--db', t.dbPath, '--format', 'ndjson', '--query', 'attempt:401']);
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id?: number; title?: string });
    expect(lines).toHaveLength(1);
    expect(out.stdout).toContain('delivery c');
    const bad = await runCli(['export', '--db', t.dbPath, '--format', 'ndjson', '--query', 'forward:perhaps']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--query: forward: expects ok, failed or none/);
  });
});
