// export/import as a user runs them: an NDJSON export imported into a fresh database
// exports again byte for byte (bodies, headers, verdicts, arrival times); importing into the
// running inspector's own database adds copies with new ids; HAR has the 1.2 shape; the curl
// script re-sends the exact bytes; bad lines are reported and skipped with exit 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import type { DeliveryDetail, ExportedDelivery } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';
import { header, startTarget } from './sender-target.ts';

const RX = 'rx-export';
let t: TestInspector;
const BINARY = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b, 0x22, 0x0a, 0xc3]);
const JSON_BODY = '\ufeff{"event_type":"new_data_type","title":"BOM ✓"}\r\n';

async function post(path: string, body: Buffer | string | undefined, headers: Record<string, string>, method = 'POST'): Promise<number> {
  const payload = typeof body === 'string' ? body : body === undefined ? undefined : new Uint8Array(body);
  const res = await fetch(t.receiverUrl + path, { method, headers, ...(payload !== undefined && { body: payload }) });
  await res.arrayBuffer();
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportedDelivery);

beforeAll(async () => {
  t = await startTestInspector({ tokens: [RX], maxBody: 4096 });
  await post('hooks/a?x=1&y=%20', JSON_BODY, { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(RX, JSON_BODY) });
  await post('hooks/b', BINARY, { 'content-type': 'application/octet-stream', 'X-Custom': 'Kept Case' });
  await post('', '', { 'user-agent': 'curl/8' });
  await post('big', 'x'.repeat(5000), { 'content-type': 'text/plain' });
  await post('hooks/a?x=1&y=%20', JSON_BODY, { 'content-type': 'application/json', 'x-soveren-signature': 'sha256=zz' });
  await post('get/path?q=1', undefined, {}, 'GET');
});
afterAll(async () => { await t.close(); });

describe('export and import', () => {
  it('round-trips through NDJSON byte for byte, and imports into the running database with new ids', async () => {
    const f1 = join(t.dir, 'one.ndjson');
    const e1 = await runCli(['export', '--db', t.dbPath, '--format', 'ndjson', '--out', f1]);
    expect(e1.code, e1.stderr).toBe(0);
    const exported = lines(readFileSync(f1, 'utf8'));
    expect(exported).toHaveLength(6);
    expect(exported.map((d) => d.status)).toEqual([200, 401, 401, 413, 401, 401]);
    expect(Buffer.from(exported[1]!.bodyBase64, 'base64').equals(BINARY)).toBe(true);
    expect(exported[1]!.bodyText).toBeNull();
    expect(exported[4]!.duplicateOf).toBe(exported[0]!.id);
    expect(exported[3]).toMatchObject({ refused: 'too_large', size: 5000, bodyBase64: '' });

    const fresh = join(t.dir, 'fresh.db');
    const imp = await runCli(['import', '--db', fresh, f1]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/imported 6 deliveries into .*fresh\.db \(ids 1-6\)/);
    // The running database holds these already: copies only with --allow-duplicates.
    const [e2, own] = await Promise.all([runCli(['export', '--db', fresh]), runCli(['import', '--db', t.dbPath, '--allow-duplicates', f1])]);
    expect(e2.code).toBe(0);
    expect(e2.stdout).toBe(readFileSync(f1, 'utf8'));

    expect(own.code).toBe(0);
    const firstNew = Number(/ids (\d+)-/.exec(own.stdout)![1]);
    expect(firstNew).toBeGreaterThan(exported[exported.length - 1]!.id);
    const copy = (await (await fetch(new URL(`/api/deliveries/${firstNew + 1}`, t.uiUrl))).json()) as DeliveryDetail;
    const { id: _a, duplicateOf: _b, attempts: _c, outputs: _g, importedAt, ...copyRest } = copy;
    const { id: _d, duplicateOf: _e, format: _f, attempts: _h, ...originalRest } = exported[1]!;
    expect(Date.parse(importedAt!)).toBeGreaterThan(Date.parse(copy.receivedAt));
    expect(copyRest).toEqual(originalRest);
  });

  it('writes HAR 1.2 and a curl script that re-sends the exact bytes', async () => {
    const target = await startTarget();
    try {
      const [har, curl] = await Promise.all([
        runCli(['export', '--db', t.dbPath, '--format', 'har', '--query', 'path:/hooks/*']),
        runCli(['export', '--db', t.dbPath, '--format', 'curl', '--query', 'path:/hooks/*']),
      ]);
      expect(har.code).toBe(0);
      const log = (JSON.parse(har.stdout) as { log: { version: string; creator: { name: string }; entries: any[] } }).log;
      expect(log.version).toBe('1.2');
      expect(log.creator.name).toBe('soveren-inspector');
      expect(log.entries.length).toBeGreaterThanOrEqual(3);
      for (const e of log.entries) {
        expect(new Date(e.startedDateTime).toISOString()).toBe(e.startedDateTime);
        expect(e.request).toMatchObject({ method: 'POST', httpVersion: 'HTTP/1.1', headersSize: -1, cookies: [] });
        expect(e.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/[ab]/);
        expect(Array.isArray(e.request.headers) && Array.isArray(e.request.queryString)).toBe(true);
        expect(typeof e.response.status).toBe('number');
        expect(e.timings).toMatchObject({ send: 0, wait: 0, receive: 0 });
      }
      expect(log.entries[0].request.queryString).toEqual([{ name: 'x', value: '1' }, { name: 'y', value: ' ' }]);

      expect(curl.code).toBe(0);
      const script = join(t.dir, 'replay.sh');
      writeFileSync(script, curl.stdout);
      const origin = new URL(target.url).origin;
      await new Promise<void>((resolve, reject) => execFile('sh', [script], { env: { ...process.env, TARGET: origin } }, (err) => (err ? reject(err) : resolve())));
      const bySize = target.received.slice(0, 3);
      expect(bySize.map((c) => c.url)).toEqual(['/hooks/a?x=1&y=%20', '/hooks/b', '/hooks/a?x=1&y=%20']);
      expect(bySize[0]!.body.toString('utf8')).toBe(JSON_BODY);
      expect(bySize[1]!.body.equals(BINARY)).toBe(true);
      expect(header(bySize[0]!, 'x-soveren-signature')).toEqual([await sign(RX, JSON_BODY)]);
      expect(header(bySize[1]!, 'X-Custom')).toEqual(['Kept Case']);
    } finally {
      await target.close();
    }
  });

  it('reports bad lines by number, imports the good ones and exits 1', async () => {
    const good = readFileSync(join(t.dir, 'one.ndjson'), 'utf8').split('\n')[0]!;
    const damaged = JSON.parse(good) as Record<string, unknown>;
    damaged.bodySha256 = '0'.repeat(64);
    const file = join(t.dir, 'bad.ndjson');
    writeFileSync(file, [good, 'not json', JSON.stringify(damaged), JSON.stringify({ bodyText: '{}', headers: [['Bad Name', 'x']] }), JSON.stringify({ bodyText: '{"hand":"made"}' }),
      JSON.stringify({ bodyText: '{}', receivedAt: '+275760-09-13T00:00:00.000Z' }), JSON.stringify({ bodyText: '{}', receivedAt: '1969-12-31T23:59:59.999Z' }),
      JSON.stringify({ bodyText: '{}', receivedAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }),
      JSON.stringify({ bodyText: '{}', receivedAt: '1970-01-01T00:00:00.000Z' })].join('\n'));
    const r = await runCli(['import', '--db', join(t.dir, 'other.db'), file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.ndjson:2: not JSON/);
    expect(r.stderr).toMatch(/bad\.ndjson:3: the body does not match its bodySha256/);
    expect(r.stderr).toMatch(/bad\.ndjson:4: header name "Bad Name" is not a valid HTTP token/);
    expect(r.stderr).toMatch(/bad\.ndjson:6: receivedAt \+275760-09-13T00:00:00\.000Z is outside 1970-01-01 \.\. .* \(now \+ 1 day\)/);
    expect(r.stderr).toMatch(/bad\.ndjson:7: receivedAt 1969-12-31T23:59:59\.999Z is outside/);
    expect(r.stderr).toMatch(/bad\.ndjson:8: receivedAt .* is outside/);
    expect(r.stdout).toMatch(/imported 3 deliveries .*; 6 line\(s\) skipped/);
  });
});
