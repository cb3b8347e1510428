// Terminal output of `serve` escapes control characters from captured values, and no token
// (webhook tokens, access token) ever shows up in logs, API answers, the stream, exports
// or the database file.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { portOf, spawnServe, tempDbPath, type ServeProcess } from '../helpers/serve-process.ts';
import { sendBytes } from '../helpers/socket.ts';
import { waitUntil } from '../helpers/wait.ts';
import { rawRequest } from '../helpers/http.ts';
import { runCli } from '../helpers/cli.ts';

const TOKEN_A = 'webhook-token-A-0f3c9e1d7b';
const TOKEN_B = 'webhook-token-B-5a8e2c4f6d';
const ACCESS = 'access-token-chosen-9d8c7b6a5f';
const SECRETS = [TOKEN_A, TOKEN_B, ACCESS];
const auth = { authorization: `Bearer ${ACCESS}` };

let serve: ServeProcess;
let db: string;
let ui: string;

/** Raw control characters (C0 but newline, DEL, and C1 as UTF-8 bytes), as read in latin1. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]/;

function sign(body: string, token: string): string {
  return 'sha256=' + createHmac('sha256', token).update(body).digest('hex');
}

function post(path: string, headers: string[], body: string): Promise<{ status: number }> {
  const bytes = Buffer.from(body, 'utf8');
  const head = [`POST ${path} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', ...headers, `Content-Length: ${bytes.length}`, 'Connection: close', '', ''].join('\r\n');
  return sendBytes(portOf(serve.receiverUrl), Buffer.concat([Buffer.from(head, 'latin1'), bytes]));
}

beforeAll(async () => {
  db = tempDbPath();
  serve = await spawnServe(['--db', db, '--token', TOKEN_A, '--token', TOKEN_B, '--access-token', ACCESS]);
  ui = serve.uiUrl.replace(/\/$/, '');
  const hostile = JSON.stringify({
    title: '\u001b]0;pwned\u0007 \u009b31mred\u009b0m \r\n#999 POST /fake -> 200',
    category: '\u001b[2J', event_type: '\u0007bell', sensitivity: 'High',
  });
  expect((await post('/esc', [`x-soveren-signature: ${sign(hostile, TOKEN_A)}`, 'User-Agent: SoverenWebhook/1.0'], hostile)).status).toBe(200);
  expect((await post('/esc-rotated', [`x-soveren-signature: ${sign(hostile, TOKEN_B)}`], hostile)).status).toBe(200);
  expect((await post('/esc-unsigned', ['User-Agent: x\x9b[31my'], hostile)).status).toBe(401);
  // A raw C1 byte in a header value reaches us (obs-text, read as latin1)...
  await post('/ua', ['User-Agent: \x9b[31m'], '{"title":"c1 agent"}');
  // ...raw bytes in the path and ESC/BEL in headers are refused by Node's parser (400).
  expect((await post('/p\x9b[31m', [], '{}')).status).toBe(400);
  expect((await post('/q', ['User-Agent: \x1b]0;title\x07'], '{}')).status).toBe(400);
  // The delivery lines are written as the answers go out; wait for the last stored one.
  await waitUntil(() => /POST \/ua -> /.test(serve.stdout()), { what: 'the /ua delivery line' });
});
afterAll(async () => {
  await serve.stop();
});

describe('terminal output', () => {
  it('shows hostile titles, categories and paths escaped, never raw', () => {
    const out = serve.stdout();
    expect(out).toContain('\\x1b]0;pwned\\x07');
    expect(out).toContain('\\x9b31mred');
    expect(out).toContain('\\x0d\\x0a#999 POST /fake');
    expect(out).toMatch(/\/esc-unsigned -> 401/);
    expect(out.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThanOrEqual(3);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(serve.stderr()).not.toMatch(RAW_CONTROL);
  });
});

describe('tokens', () => {
  const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

  it('never appear in the logs', () => {
    expect(leaks(serve.stdout() + serve.stderr())).toEqual([]);
    expect(serve.stdout()).toMatch(/signature: 2 token\(s\)/);
  });

  it('never appear in API answers or the stream', async () => {
    const list = await rawRequest(`${ui}/api/deliveries?limit=500`, { method: 'GET', headers: auth });
    const ids = (JSON.parse(list.body) as { items: { id: number }[] }).items.map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const bodies = [list.body];
    for (const path of ['/api/health', '/api/facets', '/api/histogram', '/api/deliveries?q=pwned', '/api/nope', '/', '/api/deliveries/abc']) {
      bodies.push((await rawRequest(ui + path, { method: 'GET', headers: auth })).body);
    }
    for (const id of ids) {
      for (const suffix of ['', '/raw', '/curl']) bodies.push((await rawRequest(`${ui}/api/deliveries/${id}${suffix}`, { method: 'GET', headers: auth })).body);
    }
    const detail = JSON.parse(bodies[bodies.length - 3]!) as { signatureDetail: { tokenCount: number } };
    expect(detail.signatureDetail.tokenCount).toBe(2);
    expect(JSON.parse(bodies[1]!)).toMatchObject({ tokenCount: 2 });

    const ws = new WebSocket(`ws://127.0.0.1:${portOf(serve.uiUrl)}/api/stream?since=0`, { headers: auth });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (m) => {
        messages.push(String(m));
        if (String(m).includes('"type":"live"')) resolve();
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(messages.length).toBeGreaterThanOrEqual(ids.length + 2);
    expect(leaks(bodies.join('\n') + messages.join('\n'))).toEqual([]);
  });

  it('never appear in exports or the database file', async () => {
    for (const format of ['ndjson', 'har', 'curl']) {
      const r = await runCli(['export', '--db', db, '--format', format], { timeoutMs: 15_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('/esc-rotated');
      expect(leaks(r.stdout + r.stderr), format).toEqual([]);
    }
    for (const file of [db, `${db}-wal`].filter(existsSync)) {
      expect(leaks(readFileSync(file).toString('latin1')), file).toEqual([]);
    }
  });
});
