// The in-process check runner against reference connectors on real sockets: the strict one
// passes; each broken one fails exactly the scenarios that name its defect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckReport, CheckSettings } from '../../server/common/protocol.ts';
import { runCheck } from '../../server/check/runner.ts';
import { DEFAULT_CHECK_SETTINGS, planScenarios } from '../../server/check/scenarios.ts';
import { startConnector, type Connector, type ConnectorKind } from './check-connectors.ts';

const TOKEN = 'whsec-Check-9f1c2d';
const FAST: CheckSettings = { ...DEFAULT_CHECK_SETTINGS, burst: 20, timeoutMs: 3000 };
const connectors: Partial<Record<ConnectorKind, Connector>> = {};

beforeAll(async () => {
  for (const kind of ['strict', 'accepts-bad-signatures', 'crashes-on-bad-json', 'slow'] as const) connectors[kind] = await startConnector(kind, TOKEN);
});
afterAll(async () => {
  await Promise.all(Object.values(connectors).map((c) => c.close()));
});

const failedIds = (r: CheckReport) => r.scenarios.filter((s) => s.outcome === 'fail').map((s) => s.id);
const byId = (r: CheckReport, id: string) => r.scenarios.find((s) => s.id === id)!;

describe('check runner against reference connectors', () => {
  it('passes the strict connector: every required scenario, in plan order, with the token nowhere in the report', async () => {
    const seen: string[] = [];
    const c = connectors.strict!;
    const before = c.received;
    const report = await runCheck({ url: c.url, token: TOKEN }, FAST, { onResult: (r) => seen.push(r.id) });
    expect(failedIds(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.scenarios.map((s) => s.id)).toEqual(planScenarios(FAST).map((s) => s.id));
    expect(seen).toEqual(report.scenarios.map((s) => s.id));
    expect(report.counts).toEqual({ total: report.scenarios.length, passed: report.scenarios.length - 3, failed: 0, info: 3 });
    // one request per scenario, two for the retry, the burst on top
    expect(c.received - before).toBe(report.scenarios.length + 1 + FAST.burst - 1);
    expect(byId(report, 'signature-uppercase-hex')).toMatchObject({ outcome: 'info', got: '401' });
    expect(byId(report, 'retry-same-delivery-twice').got).toBe('200, 200');
    expect(byId(report, 'burst-concurrent')).toMatchObject({ got: '20/20 2xx', latency: { count: 20 } });
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });

  it('fails a connector that accepts bad signatures on exactly the signature scenarios, saying why', async () => {
    const report = await runCheck({ url: connectors['accepts-bad-signatures']!.url, token: TOKEN }, FAST);
    expect(report.ok).toBe(false);
    expect(failedIds(report).sort()).toEqual(['signature-duplicate-header', 'signature-malformed-junk', 'signature-malformed-sha1',
      'signature-missing', 'signature-other-body', 'signature-other-token']);
    expect(byId(report, 'signature-other-token')).toMatchObject({ got: '200', expected: '401 or 403' });
    expect(byId(report, 'signature-other-token').reason).toContain('accepted a delivery whose signature was made with another token: the connector does not verify signatures');
    expect(byId(report, 'signature-missing').reason).toContain('without an x-soveren-signature header');
  });

  it('fails a connector that answers 500 to malformed JSON on the json scenarios only', async () => {
    const report = await runCheck({ url: connectors['crashes-on-bad-json']!.url, token: TOKEN }, FAST);
    expect(failedIds(report)).toEqual(['json-malformed', 'json-empty-body']);
    expect(byId(report, 'json-malformed')).toMatchObject({ got: '500', expected: '4xx' });
    expect(byId(report, 'json-malformed').reason).toMatch(/^answered 500 to a validly signed body that is not JSON .*answer 400/);
  });

  it('fails a slow connector on the burst (answers past the timeout) and the large event (hangs)', async () => {
    // One at a time, 40 ms each: a burst of 40 needs 1.6 s, past the 1 s timeout, while a
    // single delivery keeps 960 ms of margin on a busy machine.
    const report = await runCheck({ url: connectors.slow!.url, token: TOKEN }, { ...FAST, burst: 40, timeoutMs: 1000 });
    expect(failedIds(report)).toEqual(['large-event', 'burst-concurrent']);
    const burst = byId(report, 'burst-concurrent');
    expect(burst.got).toMatch(/^\d+\/40 2xx$/);
    expect(Number(burst.got.split('/')[0])).toBeLessThan(40);
    expect(burst.reason).toMatch(/timed out after 1000 ms/);
    expect(burst.latency!.p99Ms).toBeGreaterThanOrEqual(1000);
    expect(burst.latency!.p50Ms).toBeLessThanOrEqual(burst.latency!.p99Ms);
    expect(byId(report, 'large-event')).toMatchObject({ got: 'no answer: timed out after 1000 ms' });
  });

  it('counts only the --expect-reject statuses as a refusal, and says how to accept another one', async () => {
    const report = await runCheck({ url: connectors.strict!.url, token: TOKEN }, { ...FAST, expectReject: [400], only: 'signature-other-token,signature-missing' });
    expect(report.scenarios.map((s) => [s.id, s.outcome, s.expected])).toEqual([
      ['signature-other-token', 'fail', '400'], ['signature-missing', 'fail', '400']]);
    expect(byId(report, 'signature-missing').reason).toContain('pass --expect-reject 400,401');
  });

  it('keeps the token out of reasons even when the connector echoes it in its answer', async () => {
    const echo = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `expected a signature made with ${TOKEN}` })));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
      const report = await runCheck({ url, token: TOKEN }, { ...FAST, only: 'category-other' });
      expect(report.scenarios[0]!.reason).toContain('expected a signature made with [token]');
      expect(JSON.stringify(report)).not.toContain(TOKEN);
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('gives up after three scenarios in a row get no answer, instead of waiting on every one', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const report = await runCheck({ url: `http://127.0.0.1:${port}/`, token: TOKEN }, FAST);
    expect(report.ok).toBe(false);
    expect(report.scenarios.slice(0, 3).map((s) => s.got)).toEqual(Array(3).fill('no answer: connection refused (is the connector running?)'));
    expect(report.scenarios.slice(3).every((s) => s.got === 'not run' && s.reason!.includes('stopped answering'))).toBe(true);
    expect(report.durationMs).toBeLessThan(2000);
  });
});
