// `replay` as a user runs it, beside a running inspector on the same database: retries
// with growing backoff until a flaky target succeeds, every try stored and visible in the
// API; a 302 and a timeout exit 1; bad usage exits 2; --keep-signature sends the header verbatim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';
import { header, octokitValid, sha256, startTarget } from './sender-target.ts';

const RX = 'rx-token-cli';
let t: TestInspector;

async function capture(body: string): Promise<number> {
  const res = await fetch(t.receiverUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(RX, body) },
    body,
  });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const detail = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;

beforeAll(async () => { t = await startTestInspector({ tokens: [RX] }); });
afterAll(async () => { await t.close(); });

describe('replay CLI', () => {
  it('retries a flaky target with growing backoff and records every try while serve runs', async () => {
    const flaky = await startTarget((_c, i) => (i < 2 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' }));
    try {
      const body = '{"event_type":"anomaly_detected","title":"flaky ✓"}';
      const id = await capture(body);
      const r = await runCli(['replay', '--db', t.dbPath, '--id', String(id), '--to', flaky.url, '--token', 'conn-tok',
        '--retries', '3', '--retry-delay', '100ms']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/replayed 1 deliveries .* \(re-signed\): 1 ok, 0 failed; 3 tries; statuses 200×1, 503×2/);
      expect(flaky.received).toHaveLength(3);
      const [a, b, c] = flaky.received.map((x) => x.at) as [number, number, number];
      // Equal jitter: first wait in [50, 100] ms, second in [100, 200] ms.
      expect(b - a).toBeGreaterThanOrEqual(45);
      expect(c - b).toBeGreaterThanOrEqual(95);
      for (const got of flaky.received) {
        expect(sha256(got.body)).toBe(sha256(Buffer.from(body)));
        expect(await octokitValid('conn-tok', got)).toBe(true);
      }
      const attempts = (await detail(id)).attempts;
      expect(attempts.map((x) => [x.kind, x.status, x.ok])).toEqual([['replay', 503, false], ['replay', 503, false], ['replay', 200, true]]);
      expect(attempts[0]!.responseBody).toBe('busy');
    } finally {
      await flaky.close();
    }
  });

  it('exits 1 on a redirect (not followed) and on a timeout, recording both', async () => {
    const redirect = await startTarget(() => ({ status: 302, headers: { location: 'http://127.0.0.1:9/elsewhere' } }));
    const hanging = await startTarget(() => ({ hang: true }));
    try {
      const id = await capture('{"event_type":"new_data_type","n":302}');
      const [r302, slow] = await Promise.all([
        runCli(['replay', '--db', t.dbPath, '--id', String(id), '--to', redirect.url, '--keep-signature']),
        runCli(['replay', '--db', t.dbPath, String(id), '--to', hanging.url, '--keep-signature', '--timeout', '300ms']),
      ]);
      expect(r302.code).toBe(1);
      expect(r302.stdout).toMatch(/302 .*redirect 302 to http:\/\/127\.0\.0\.1:9\/elsewhere not followed/);
      expect(slow.code).toBe(1);
      expect(slow.stdout).toMatch(/timed out after 300 ms/);
      expect(redirect.received).toHaveLength(1);
      const attempts = (await detail(id)).attempts;
      expect(attempts.map((a) => a.status).sort()).toEqual([302, null].sort());
    } finally {
      await Promise.all([redirect.close(), hanging.close()]);
    }
  });

  it('replays a search with the stored signature verbatim, oldest first', async () => {
    const target = await startTarget();
    try {
      const bodies = ['{"event_type":"cli_query","n":1}', '{"event_type":"cli_query","n":2}'];
      for (const b of bodies) await capture(b);
      const r = await runCli(['replay', '--db', t.dbPath, '--query', 'event_type:cli_query', '--to', target.url, '--keep-signature', '-q']);
      expect(r.code).toBe(0);
      expect(target.received.map((c) => c.body.toString())).toEqual(bodies);
      for (const c of target.received) {
        expect(header(c, 'x-soveren-signature')).toEqual([await sign(RX, c.body.toString())]);
        expect(await octokitValid(RX, c)).toBe(true);
      }
    } finally {
      await target.close();
    }
  });

  it('exits 2 for bad usage, naming the flag', async () => {
    const [noTo, noSigning, noDb] = await Promise.all([
      runCli(['replay', '--db', t.dbPath, '--id', '1']),
      runCli(['replay', '--db', t.dbPath, '--id', '1', '--to', 'http://127.0.0.1:9/']),
      runCli(['replay', '--db', t.dbPath + '.missing', '--id', '1', '--to', 'http://127.0.0.1:9/', '--unsigned']),
    ]);
    expect([noTo.code, noSigning.code, noDb.code]).toEqual([2, 2, 2]);
    expect(noTo.stderr).toMatch(/--to URL is required/);
    expect(noSigning.stderr).toMatch(/--token T .* or --keep-signature/);
    expect(noDb.stderr).toMatch(/--db .*missing: no such file/);
  });
});
