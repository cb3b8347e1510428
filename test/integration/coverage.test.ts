// Coverage (issue 15): real deliveries (genuine, forged, from the built-in sender, of an
// unknown type), real replays to an independent target and a real check run, then
// GET /api/coverage: every count right, and every cell's search lists exactly that many
// deliveries; the CLI prints the table, its JSON, and gates CI with --require all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import type { CheckRunSummary, Coverage, CoverageRow } from '../../server/common/protocol.ts';
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvent, serializeEvent } from '../../server/soveren/events.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startTarget, type Target } from './sender-target.ts';
import { runCli } from '../helpers/cli.ts';

const TOKEN = 'coverage-token';
let t: TestInspector;
let target: Target;
let okUrl: string;
let failUrl: string;
const genuine = new Map<string, number>();

async function post(body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const real = async (type: string) => {
  const body = serializeEvent(createEvent(type, { seed: 9 }));
  return post(body, { 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(TOKEN, body) });
};
const api = async (path: string, body?: unknown) => {
  const res = await fetch(new URL(path, t.uiUrl), body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, path).toBeLessThan(300);
  return res.json();
};
const coverage = () => api('/api/coverage') as Promise<Coverage>;
const row = (c: Coverage, type: string) => c.categories.flatMap((x) => x.rows).find((r) => r.eventType === type)!;

beforeAll(async () => {
  target = await startTarget((c) => ({ status: c.url === '/fail' ? 500 : 200 }));
  okUrl = new URL('/ok', target.url).href;
  failUrl = new URL('/fail', target.url).href;
  t = await startTestInspector({ tokens: [TOKEN] });
  for (const type of EVENT_TYPES) if (type !== 'discovery_complete') genuine.set(type, await real(type));
  await real('anomaly_detected'); // a second genuine one of this type
  // Forged (refused 401, stored), and a curl with a valid signature: not from a real sender.
  const forged = serializeEvent(createEvent('anomaly_detected', { seed: 2 }));
  await post(forged, { 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign('other', forged) });
  await post(forged, { 'user-agent': 'curl/8', 'x-soveren-signature': await sign(TOKEN, forged) });
  const unknown = JSON.stringify({ title: 'Retention exceeded', category: 'Data at risk', event_type: 'policy_data_retention_exceeded' });
  await post(unknown, { 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(TOKEN, unknown) });
  // The built-in sender into this receiver: 2 deliveries of one type.
  await api('/api/send', { types: ['new_data_type'], count: 2 });
  // Replays: every genuine one to /ok, except excessive_db_access which fails at /fail.
  for (const [type, id] of genuine) await api(`/api/deliveries/${id}/replay`, { target: type === 'excessive_db_access' ? failUrl : okUrl, keepSignature: true });
  // A connector's output for one delivery, as Splunk HEC takes it, into the inspector's own
  // HEC sink: linked to the delivery by its event link.
  const anomaly = (await api(`/api/deliveries/${genuine.get('anomaly_detected')}`)) as { bodyText: string };
  const hec = await fetch(`${t.inspector.sinkUrl}services/collector/event`, {
    method: 'POST', headers: { authorization: 'Splunk any' }, body: JSON.stringify({ event: JSON.parse(anomaly.bodyText), sourcetype: 'soveren' }),
  });
  expect(hec.status).toBe(200);
  for (let i = 0; i < 100 && ((await api('/api/outputs')) as { items: unknown[] }).items.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  // A check run limited to the event-type scenarios, against /ok.
  const run = (await api('/api/checks', { url: okUrl, token: TOKEN, only: 'event_type-' })) as CheckRunSummary;
  for (let i = 0; i < 200; i++) {
    if (((await api(`/api/checks/${run.id}`)) as CheckRunSummary).state !== 'running') break;
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);
afterAll(async () => {
  await t.close();
  await target.close();
});

describe('GET /api/coverage', () => {
  it('counts each type as received, real, sent, per target and in the last check', async () => {
    const c = await coverage();
    expect(c.categories.map((x) => x.label)).toEqual(['Data at risk', 'Infrastructure updates', 'Misconfiguration', 'Other']);
    expect(c.categories.flatMap((x) => x.rows).filter((r) => r.known)).toHaveLength(29);
    expect(c.targets).toEqual([failUrl, okUrl].sort());
    const anomaly = row(c, 'anomaly_detected');
    expect([anomaly.received.count, anomaly.real.count, anomaly.sent.count]).toEqual([4, 2, 0]);
    const ndt = row(c, 'new_data_type');
    expect([ndt.received.count, ndt.real.count, ndt.sent.count]).toEqual([3, 1, 2]);
    const ok = (r: CoverageRow, url: string) => r.targets.find((x) => x.target === url)!;
    expect(ok(anomaly, okUrl).replay.ok.count).toBe(1);
    expect(ok(row(c, 'excessive_db_access'), failUrl).replay.failed.count).toBe(1);
    expect(ok(row(c, 'excessive_db_access'), okUrl).replay.ok.count).toBe(0);
    expect(row(c, 'discovery_complete').received.count).toBe(0);
    expect(c.lastCheck).toMatchObject({ url: okUrl, state: 'passed' });
    expect(c.sinks).toEqual(['hec']);
    expect(anomaly.siem.any.count).toBe(1);
    expect(anomaly.siem.sinks).toEqual([{ sink: 'hec', reached: { count: 1, query: 'event_type:anomaly_detected output:hec' } }]);
    expect(ndt.siem.any.count).toBe(0);
    expect(row(c, 'discovery_complete').check).toMatchObject({ outcome: 'pass', got: '200' });
    // The unknown type sits under the category it arrived with.
    const unknown = c.categories.find((x) => x.facet === 'data_at_risk')!.rows.find((r) => r.eventType === 'policy_data_retention_exceeded')!;
    expect(unknown).toMatchObject({ known: false, received: { count: 1 }, real: { count: 1 } });
  });

  it('gives every cell the search that lists exactly its deliveries', async () => {
    const c = await coverage();
    let checked = 0;
    for (const r of c.categories.flatMap((x) => x.rows)) {
      const cells = [r.received, r.real, r.sent, r.siem.any, ...r.siem.sinks.map((x) => x.reached),
        ...r.targets.flatMap((x) => [x.replay.ok, x.replay.failed, x.forward.ok, x.forward.failed])];
      for (const cell of cells) {
        if (cell.count === 0 && checked % 7 !== 0) continue; // every non-empty cell, some empty ones
        const listed = (await api(`/api/deliveries?limit=500&q=${encodeURIComponent(cell.query)}`)) as { items: unknown[] };
        expect(listed.items.length, cell.query).toBe(cell.count);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe('soveren-inspector coverage', () => {
  it('prints the table and its JSON, and gates on --require all --target', async () => {
    const text = await runCli(['coverage', '--db', t.dbPath]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\s+anomaly_detected\s+4\s+2\s+-\s+-\s+1\/0\s+pass\s+1$/m);
    expect(text.stdout).toContain('policy_data_retention_exceeded (unknown)');
    const json = await runCli(['coverage', '--db', t.dbPath, '--json']);
    expect((JSON.parse(json.stdout) as Coverage).targets).toEqual((await coverage()).targets);

    const gate = await runCli(['coverage', '--db', t.dbPath, '--require', 'all', '--target', okUrl]);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toContain('2 of 29 documented event types never had a successful delivery');
    expect(gate.stderr).toMatch(/excessive_db_access, discovery_complete|discovery_complete, excessive_db_access/);

    await api(`/api/deliveries/${genuine.get('excessive_db_access')}/replay`, { target: okUrl, keepSignature: true });
    await api(`/api/deliveries/${await real('discovery_complete')}/replay`, { target: okUrl, keepSignature: true });
    const passed = await runCli(['coverage', '--db', t.dbPath, '--require', 'all', '--target', okUrl]);
    expect(passed.code).toBe(0);
    expect(passed.stderr).toContain('every documented event type had a successful delivery');

    const usage = await runCli(['coverage', '--db', t.dbPath, '--require', 'all']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--require all needs --target URL');
  }, 60_000);
});
