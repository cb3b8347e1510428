// Host allow-list on the UI/API listener (DNS rebinding), malformed Host and Origin headers
// answered 400/403 without ever crashing the process, and a receiver that takes any Host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portOf, spawnServe, tempDbPath, type ServeProcess } from '../helpers/serve-process.ts';
import { sendBytes, upgradeRequest } from '../helpers/socket.ts';
import { rawRequest } from '../helpers/http.ts';

let serve: ServeProcess;
let port: number;
let receiverPort: number;

beforeAll(async () => {
  serve = await spawnServe(['--db', tempDbPath(), '--allowed-host', 'inspector.test', '--quiet']);
  port = portOf(serve.uiUrl);
  receiverPort = portOf(serve.receiverUrl);
});
afterAll(async () => {
  await serve.stop();
});

const get = (host: string) => sendBytes(port, `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

async function expectAlive(): Promise<void> {
  expect(serve.proc.exitCode).toBeNull();
  expect((await get(`127.0.0.1:${port}`)).status).toBe(200);
}

describe('Host allow-list', () => {
  it('serves loopback names, the configured host and --allowed-host', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', `inspector.test:${port}`]) {
      expect((await get(host)).status, host).toBe(200);
    }
  });

  it('answers 403 to any other name (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`, 'localhost.', '127.0.0.2', '0.0.0.0']) {
      const r = await get(host);
      expect(r.status, host).toBe(403);
      expect(r.body).toMatch(/not allowed/);
    }
    // Page loads and WebSocket upgrades are refused the same way.
    expect((await sendBytes(port, `GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n`)).status).toBe(403);
    expect((await sendBytes(port, upgradeRequest('/api/stream', ['Host: evil.example']))).status).toBe(403);
  });

  it('answers malformed, missing or repeated Host with 400/403 and keeps running', async () => {
    const malformed = ['', 'a b', '[::1', `127.0.0.1:${port}:1`, '\xe9vil.example', 'localhost:99999999', 'exa_mple', '@localhost', 'localhost/x'];
    for (const host of malformed) {
      expect([400, 403], JSON.stringify(host)).toContain((await get(host)).status);
      expect([400, 403], JSON.stringify(host)).toContain((await sendBytes(port, upgradeRequest('/api/stream', [`Host: ${host}`]))).status);
    }
    const bare = [
      'GET /api/health HTTP/1.1\r\n\r\n',
      'GET /api/health HTTP/1.0\r\n\r\n',
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\n\r\n`,
      `GET /api/health HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      upgradeRequest('/api/stream', [`Host: 127.0.0.1:${port}`, 'Host: evil.example']),
      upgradeRequest('/api/stream', []),
      `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      upgradeRequest('http://[', [`Host: 127.0.0.1:${port}`]),
    ];
    for (const request of bare) {
      expect([400, 403], JSON.stringify(request)).toContain((await sendBytes(port, request)).status);
    }
    await expectAlive();
  });

  it('answers malformed Origin headers with 403 and keeps running', async () => {
    const origins = ['null', 'http://[::1', `http://127.0.0.1:${port}/`, `HTTP://127.0.0.1:${port}`, `http://127.0.0.1:${port}.evil.example`,
      `http://user@127.0.0.1:${port}`, 'http://', '*', 'x'.repeat(8000), `http://127.0.0.1:${port}, http://evil.example`, '\xff\xfe'];
    for (const origin of origins) {
      const del = `DELETE /api/deliveries HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
      expect((await sendBytes(port, del)).status, origin.slice(0, 40)).toBe(403);
      expect((await sendBytes(port, upgradeRequest('/api/stream', [`Host: 127.0.0.1:${port}`, `Origin: ${origin}`]))).status, origin.slice(0, 40)).toBe(403);
    }
    await expectAlive();
  });
});

describe('receiver', () => {
  it('accepts any Host, as a tunnel rewrites it, and records it exactly', async () => {
    const hosts = ['evil.example', 'abc123.ngrok-free.app', 'a b', '[2001:db8::1]:8443', 'host_with_underscore:1'];
    const ids: number[] = [];
    for (const host of hosts) {
      const r = await sendBytes(receiverPort, `POST /hook HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
      expect(r.status, host).toBe(200);
      ids.push((JSON.parse(r.body) as { id: number }).id);
    }
    for (const [i, id] of ids.entries()) {
      const detail = JSON.parse((await rawRequest(`http://127.0.0.1:${port}/api/deliveries/${id}`, { method: 'GET' })).body) as { headers: [string, string][] };
      expect(detail.headers).toContainEqual(['Host', hosts[i]]);
    }
  });
});
