// Exact Origin on WebSocket upgrades and state-changing requests whatever the path spelling,
// missing Origin only for non-browser clients, JSON-only mutations, and no CORS headers.
// Requests are written byte for byte over node:net so no client normalises the path.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portOf, spawnServe, tempDbPath, type ServeProcess } from '../helpers/serve-process.ts';
import { sendBytes, upgradeRequest, type SocketAnswer } from '../helpers/socket.ts';
import { rawRequest } from '../helpers/http.ts';
import { holdStill } from '../helpers/wait.ts';

let serve: ServeProcess;
let port: number;
let own: string;

beforeAll(async () => {
  serve = await spawnServe(['--db', tempDbPath(), '--quiet']);
  port = portOf(serve.uiUrl);
  own = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await serve.stop();
});

const STREAM_SPELLINGS = ['/api/stream', '/%61pi/stream', '//api/stream', '/api/stream/', '/API/stream', '/api/./stream',
  '/api/%73tream', '/api/stream?since=0', '/x/../api/stream', '/api//stream', '/api/stream%2f', '/api/stream;x'];

function foreignOrigins(): string[] {
  return ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port}.evil.example`, `http://localhost.evil.example:${port}`];
}

function upgrade(path: string, headers: string[]): Promise<SocketAnswer> {
  return sendBytes(port, upgradeRequest(path, [`Host: 127.0.0.1:${port}`, ...headers]));
}

function mutate(method: string, path: string, headers: string[], body = '{}'): Promise<SocketAnswer> {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headers, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body];
  return sendBytes(port, lines.join('\r\n'));
}

async function deliver(): Promise<number> {
  const r = await rawRequest(serve.receiverUrl + 'hook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"keep me"}' });
  return (JSON.parse(r.body) as { id: number }).id;
}

async function exists(id: number): Promise<boolean> {
  return (await rawRequest(`${own}/api/deliveries/${id}`, { method: 'GET' })).status === 200;
}

describe('WebSocket upgrade', () => {
  it('refuses every foreign Origin on every spelling of the path', async () => {
    for (const path of STREAM_SPELLINGS) {
      for (const origin of foreignOrigins()) {
        const r = await upgrade(path, [`Origin: ${origin}`]);
        expect(r.status, `${path} ${origin}`).toBe(403);
      }
      for (const site of ['cross-site', 'same-site']) {
        expect((await upgrade(path, [`Sec-Fetch-Site: ${site}`])).status, `${path} ${site}`).toBe(403);
      }
    }
  });

  it('accepts the UI origin and Origin-less CLI clients on the exact path only', async () => {
    for (const origin of [own, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      expect((await upgrade('/api/stream', [`Origin: ${origin}`])).status, origin).toBe(101);
    }
    expect((await upgrade('/api/stream?since=0', [])).status).toBe(101);
    expect((await upgrade('/api/stream', ['Sec-Fetch-Site: none'])).status).toBe(101);
    for (const path of STREAM_SPELLINGS.filter((p) => !p.startsWith('/api/stream?') && p !== '/api/stream')) {
      expect((await upgrade(path, [`Origin: ${own}`])).status, path).toBe(404);
    }
  });
});

describe('state-changing requests', () => {
  const json = 'Content-Type: application/json';
  const paths = ['/api/deliveries', '/%61pi/deliveries', '//api/deliveries', '/api/deliveries/', '/API/deliveries', '/api/./deliveries', '/x/../api/deliveries'];

  it('refuse a foreign or cross-site Origin on every spelling, and nothing changes', async () => {
    const id = await deliver();
    for (const path of paths) {
      for (const method of ['DELETE', 'POST', 'PUT', 'PATCH']) {
        for (const origin of foreignOrigins()) {
          expect((await mutate(method, path, [`Origin: ${origin}`, json])).status, `${method} ${path} ${origin}`).toBe(403);
        }
        for (const site of ['cross-site', 'same-site']) {
          expect((await mutate(method, path, [`Sec-Fetch-Site: ${site}`, json])).status, `${method} ${path} ${site}`).toBe(403);
        }
      }
    }
    expect((await mutate('PUT', '/api/settings/response', ['Origin: http://evil.example', json], '{"status":500}')).status).toBe(403);
    expect(await exists(id)).toBe(true);
    expect((JSON.parse((await rawRequest(`${own}/api/health`, { method: 'GET' })).body) as { response: { status: number } }).response.status).toBe(200);
  });

  it('require application/json: form-style and text/plain posts are refused even from the own origin', async () => {
    const id = await deliver();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/json', null]) {
      const headers = [`Origin: ${own}`, ...(type === null ? [] : [`Content-Type: ${type}`])];
      expect((await mutate('DELETE', `/api/deliveries/${id}`, headers)).status, String(type)).toBe(403);
      expect((await mutate('PUT', '/api/settings/response', headers, '{"status":503}')).status, String(type)).toBe(403);
    }
    expect(await exists(id)).toBe(true);
    // The own origin with JSON works, and so does a CLI client that sends no Origin.
    expect((await mutate('DELETE', `/api/deliveries/${id}`, [`Origin: ${own}`, 'Content-Type: application/json; charset=utf-8'])).status).toBe(200);
    expect(await exists(id)).toBe(false);
    const other = await deliver();
    expect((await mutate('DELETE', `/api/deliveries/${other}`, [json])).status).toBe(200);
    expect(await exists(other)).toBe(false);
  });
});

describe('outbound requests', () => {
  it('a foreign page cannot make the tool send anything (send, replay, forwarding)', async () => {
    let hits = 0;
    const target = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const to = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
    try {
      const id = await deliver();
      const attempts: [string, string][] = [
        ['/api/send', JSON.stringify({ to, types: ['anomaly_detected'] })],
        [`/api/deliveries/${id}/replay`, JSON.stringify({ target: to, token: 'x' })],
        ['/api/replay', JSON.stringify({ target: to, token: 'x' })],
      ];
      for (const [path, body] of attempts) {
        expect((await mutate('POST', path, ['Origin: http://evil.example', 'Content-Type: application/json'], body)).status, path).toBe(403);
        expect((await mutate('POST', path, [`Origin: ${own}`, 'Content-Type: text/plain'], body)).status, path).toBe(403);
        expect((await mutate('POST', path, ['Sec-Fetch-Site: cross-site', 'Content-Type: application/json'], body)).status, path).toBe(403);
      }
      expect((await mutate('PUT', '/api/forwarding', ['Origin: http://evil.example', 'Content-Type: application/json'], JSON.stringify({ enabled: true, targets: [to] }))).status).toBe(403);
      await deliver(); // would be forwarded, had forwarding been switched on
      await holdStill(200); // only to prove no forward goes out
      expect(hits).toBe(0);
      // The same request from the UI's own origin does reach the target: the refusals above were the guard.
      expect((await mutate('POST', '/api/send', [`Origin: ${own}`, 'Content-Type: application/json'], attempts[0]![1])).status).toBe(200);
      expect(hits).toBe(1);
    } finally {
      target.closeAllConnections();
      target.close();
    }
  });
});

describe('CORS', () => {
  it('sends no Access-Control-* header on any response, preflight included', async () => {
    const id = await deliver();
    const preflight = (path: string) => [`OPTIONS ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Origin: http://evil.example',
      'Access-Control-Request-Method: DELETE', 'Access-Control-Request-Headers: content-type', 'Connection: close', '', ''].join('\r\n');
    const responses: SocketAnswer[] = [];
    for (const path of ['/api/deliveries', `/api/deliveries/${id}`, '/api/stream', '/api/settings/response', '/', '/index.html']) {
      responses.push(await sendBytes(port, preflight(path)));
    }
    for (const path of ['/api/health', '/api/deliveries', `/api/deliveries/${id}`, `/api/deliveries/${id}/raw`, '/', '/nope', '/api/nope']) {
      responses.push(await sendBytes(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n`));
    }
    responses.push(await mutate('DELETE', '/api/deliveries', ['Origin: http://evil.example', 'Content-Type: application/json']));
    responses.push(await upgrade('/api/stream', ['Origin: http://evil.example']));
    const receiver = portOf(serve.receiverUrl);
    responses.push(await sendBytes(receiver, preflight('/hook').replace(`127.0.0.1:${port}`, `127.0.0.1:${receiver}`)));
    for (const r of responses) {
      expect(r.status).toBeGreaterThan(0);
      expect(r.head).not.toMatch(/^access-control-/im);
    }
  });
});
