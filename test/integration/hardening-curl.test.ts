// Generated curl commands and HAR entries reproduce a hostile capture exactly and go only
// to the chosen target: the scripts are RUN with sh against a raw recording listener, which
// must see one request per delivery with the captured method, target, header values and
// body bytes, and Host = the target (issue 16, item 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { sendRawBytes, startRecordingListener, type RecordedRequest, type RecordingListener } from '../helpers/recording-listener.ts';
import { runCli } from './sender-cli.ts';

interface Capture { id: number; method: string; target: Buffer; headers: [string, Buffer][]; body: Buffer }

// Hop-by-hop and connection headers are the client's own business, not part of the capture.
const NOT_REPRODUCED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect', 'accept-encoding']);
const HOSTILE_TARGETS = ['//host/x', '/\\host/y', 'http://evil.example/abs', '/glob/[1-5]', '/brace/{a,b}', '/ifs/${IFS}x?q=$(id)&r=`id`',
  '/%2e%2e/%2e%2e/etc/passwd', "/quote'\"|;&<>*?x=1"];
const MIXED_TEXT = "-leading dash, 'quotes' \"double\" %s %% \\n \\\\ $HOME `id` $(id)\r\nCRLF\nlast line no newline";
const BODIES: [string, Buffer][] = [
  ['@ file', Buffer.from('@/etc/hostname')],
  ['< file', Buffer.from('</etc/hostname')],
  ['every byte', Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
  ['empty', Buffer.alloc(0)],
  ['text', Buffer.from(MIXED_TEXT)],
  ['trailing newlines', Buffer.from('{"a":1}\n\n\n')],
  ['1 MiB', randomBytes(1024 * 1024)],
];

let t: TestInspector;
let rec: RecordingListener;
const captures: Capture[] = [];

function rawRequest(method: string, target: Buffer, headers: [string, Buffer][], body: Buffer | null): Buffer {
  const head: Buffer[] = [Buffer.from(`${method} `), target, Buffer.from(' HTTP/1.1\r\nHost: receiver.example\r\n')];
  for (const [name, value] of headers) head.push(Buffer.from(`${name}: `), value, Buffer.from('\r\n'));
  if (body) head.push(Buffer.from(`Content-Length: ${body.length}\r\n`));
  head.push(Buffer.from('Connection: close\r\n\r\n'));
  return Buffer.concat([...head, body ?? Buffer.alloc(0)]);
}

async function capture(method: string, target: string | Buffer, headers: [string, string | Buffer][], body: Buffer | null): Promise<void> {
  const t8 = Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1');
  const h = headers.map(([k, v]): [string, Buffer] => [k, Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1')]);
  const res = await sendRawBytes(t.receiverUrl, rawRequest(method, t8, h, body));
  expect(res.status, `${method} ${t8.toString('latin1')}`).toBe(200);
  captures.push({ id: Number(res.headers.get('x-soveren-inspector-id')), method, target: t8, headers: h, body: body ?? Buffer.alloc(0) });
}

const run = (script: string, env: Record<string, string> = {}) => new Promise<void>((resolve, reject) => {
  execFile('sh', [script], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()));
});

/** The recorded request is the capture, sent to `expectedTarget` on the recording listener. */
function expectReproduced(got: RecordedRequest, c: Capture, prefix: string): void {
  const sep = prefix !== '' && c.target[0] !== 0x2f ? '/' : '';
  expect(got.method).toBe(c.method);
  expect(Buffer.from(got.target, 'latin1').equals(Buffer.concat([Buffer.from(prefix + sep), c.target])), `target of ${c.id}: ${got.target}`).toBe(true);
  expect(got.headers.filter(([k]) => k.toLowerCase() === 'host')).toEqual([['Host', new URL(rec.url).host]]);
  const sent = got.headers.filter(([k]) => !NOT_REPRODUCED.has(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v]);
  const captured = c.headers.filter(([k]) => !NOT_REPRODUCED.has(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v.toString('latin1')]);
  expect(sent.sort(), `headers of ${c.id}`).toEqual(captured.sort());
  expect(got.body.equals(c.body), `body of ${c.id} (${got.body.length} vs ${c.body.length} bytes)`).toBe(true);
}

beforeAll(async () => {
  t = await startTestInspector({ maxBody: 2 * 1024 * 1024 });
  rec = await startRecordingListener();
  const json: [string, string][] = [['Content-Type', 'application/json'], ['User-Agent', 'SoverenWebhook/1.0']];
  for (const target of HOSTILE_TARGETS) await capture('POST', target, [...json, ['X-Target', target]], Buffer.from('{"hostile":"path"}'));
  for (const [name, body] of BODIES) await capture('PUT', `/bodies/${encodeURIComponent(name)}`, [['Content-Type', 'application/octet-stream']], body);
  await capture('GET', '/no-body?x=1', [], null);
  await capture('POST', '/headers', [
    ['X-Shell', "$(touch /tmp/pwned) `id` ${HOME} 'q' \"d\" \\"],
    ['X-Latin1', Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x80, 0xff])],
    ['X-Empty', ''],
    ['X-Twice', 'one'], ['X-Twice', 'two'],
    ['X-At', '@/etc/hostname'],
  ], Buffer.from('{}'));
  // Node's parser refuses non-ASCII request targets on the wire; only an import can hold one.
  const line = JSON.stringify({ method: 'POST', path: '/café/✓', query: 'q=ü', headers: [['X-Uni', 'ü ✓'], ['User-Agent', 'SoverenWebhook/1.0']], bodyText: '{"t":"✓"}' });
  writeFileSync(join(t.dir, 'unicode.ndjson'), line + '\n');
  const imported = await runCli(['import', '--db', t.dbPath, join(t.dir, 'unicode.ndjson')]);
  expect(imported.code, imported.stderr).toBe(0);
  captures.push({
    id: Number(/ids? (\d+)/.exec(imported.stdout)![1]), method: 'POST', target: Buffer.from('/café/✓?q=ü', 'utf8'),
    headers: [['X-Uni', Buffer.from('ü ✓', 'utf8')], ['User-Agent', Buffer.from('SoverenWebhook/1.0')]], body: Buffer.from('{"t":"✓"}'),
  });
}, 60_000);
afterAll(async () => {
  await rec?.close();
  await t?.close();
});

describe('copy as cURL', () => {
  it('sends each hostile capture once, exactly, to the receiver or the chosen target', async () => {
    for (const [base, prefix] of [[`${rec.url}/`, ''], [`${rec.url}/connector/in/`, '/connector/in']] as const) {
      for (const c of captures) {
        const res = await fetch(`${t.uiUrl}api/deliveries/${c.id}/curl?target=${encodeURIComponent(base)}`);
        expect(res.status).toBe(200);
        const script = join(t.dir, `copy-${c.id}.sh`);
        writeFileSync(script, await res.text());
        const before = rec.requests.length;
        await run(script);
        expect(rec.requests.length - before, `requests for delivery ${c.id}`).toBe(1);
        expectReproduced(rec.requests[before]!, c, prefix);
      }
    }
  }, 60_000);

  it('aims at the receiver by default and refuses a target that is not http(s)', async () => {
    const text = await (await fetch(`${t.uiUrl}api/deliveries/${captures[2]!.id}/curl`)).text();
    expect(text).toContain(`'${new URL(t.receiverUrl).origin}/'`);
    expect(text).not.toContain('evil.example/abs\'\n');
    expect(text).toContain('--request-target ');
    const bad = await fetch(`${t.uiUrl}api/deliveries/${captures[0]!.id}/curl?target=${encodeURIComponent('file:///etc/passwd')}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^target: .*http/);
  });
});

describe('export --format curl and har', () => {
  it('a curl script sends every delivery once, exactly, to $TARGET', async () => {
    const out = join(t.dir, 'all.sh');
    const r = await runCli(['export', '--db', t.dbPath, '--format', 'curl', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const [target, prefix] of [[rec.url, ''], [`${rec.url}/base/`, '/base']] as const) {
      const before = rec.requests.length;
      await run(out, { TARGET: target });
      const got = rec.requests.slice(before);
      expect(got).toHaveLength(captures.length);
      captures.forEach((c, i) => expectReproduced(got[i]!, c, prefix));
    }
  }, 60_000);

  it('refuses a TARGET that is not http(s)', async () => {
    const out = join(t.dir, 'all.sh');
    const before = rec.requests.length;
    await expect(run(out, { TARGET: 'file:///etc/passwd' })).rejects.toThrow(/TARGET must be an http/);
    expect(rec.requests.length).toBe(before);
  });

  it('HAR entries carry the captured method, the target URL plus the captured path, and the exact body', async () => {
    const out = join(t.dir, 'all.har');
    const r = await runCli(['export', '--db', t.dbPath, '--format', 'har', '--target', `${rec.url}/base/`, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const entries = (JSON.parse(readFileSync(out, 'utf8')) as { log: { entries: any[] } }).log.entries;
    expect(entries).toHaveLength(captures.length);
    captures.forEach((c, i) => {
      const { request } = entries[i]!;
      const targetText = c.id === captures[captures.length - 1]!.id ? c.target.toString('utf8') : c.target.toString('latin1');
      expect(request.method).toBe(c.method);
      expect(request.url).toBe(`${rec.url}/base${targetText.startsWith('/') ? '' : '/'}${targetText}`);
      expect(new URL(request.url).host).toBe(new URL(rec.url).host);
      const body = request.postData._encoding === 'base64' ? Buffer.from(request.postData.text, 'base64') : Buffer.from(request.postData.text, 'utf8');
      expect(body.equals(c.body), `HAR body of ${c.id}`).toBe(true);
    });
    const bad = await runCli(['export', '--db', t.dbPath, '--format', 'har', '--target', 'ftp://x/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--target: unsupported scheme/);
  });
});
