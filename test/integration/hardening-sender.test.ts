// The outbound request primitive used by replay, send and forwarding: it never follows a
// redirect, reads at most a bounded part of a response (a hostile target cannot make it
// buffer), and a target that overflows headers or never finishes cannot hang it.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeepAliveAgent, MAX_RESPONSE_BYTES, sendRequest } from '../../server/sender/http.ts';
import { waitUntil } from '../helpers/wait.ts';

const servers: (Server | TcpServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => {
    if ('closeAllConnections' in s) s.closeAllConnections();
    s.close(() => r());
  })));
});

async function listen<T extends Server | TcpServer>(server: T): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const post = (url: string, extra: Partial<Parameters<typeof sendRequest>[0]> = {}) =>
  sendRequest({ url, headers: [['content-type', 'application/json']], body: Buffer.from('{"title":"t"}'), ...extra });

describe('sendRequest', () => {
  it('never follows a redirect, whatever the status', async () => {
    let followed = 0;
    const elsewhere = await listen(createServer((_req, res) => {
      followed++;
      res.end('ok');
    }));
    for (const status of [301, 302, 303, 307, 308]) {
      const target = await listen(createServer((_req, res) => {
        res.writeHead(status, { location: elsewhere });
        res.end();
      }));
      const r = await post(target);
      expect(r.status).toBe(status);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(new RegExp(`redirect ${status} to ${elsewhere.replace(/[/.]/g, '\\$&')} not followed`));
    }
    expect(followed).toBe(0);
  });

  it('reads at most the bound of an endless response and hangs up on it', async () => {
    let written = 0;
    let closedAfter = -1;
    const chunk = Buffer.alloc(64 * 1024, 'z');
    const target = await listen(createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Endless as far as the client can tell; bounded here at 256 MiB so the test is too.
      const pump = () => {
        while (written < 256 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => (closedAfter = written));
      pump();
    }));
    const before = process.memoryUsage().arrayBuffers;
    const r = await post(target);
    expect(r.status).toBe(200);
    expect(r.responseBody).toHaveLength(MAX_RESPONSE_BYTES);
    expect(r.durationMs).toBeLessThan(2000);
    // The target saw the connection go away after little more than the bound.
    await waitUntil(() => closedAfter > 0, { what: 'the target to see the connection close' });
    expect(closedAfter).toBeGreaterThan(0);
    expect(closedAfter).toBeLessThan(32 * 1024 * 1024);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);

    const small = await post(target, { maxResponseBytes: 1000 });
    expect(small.responseBody).toBe('z'.repeat(1000));
  });

  it('fails cleanly on an oversized header block and on a response that never finishes', async () => {
    const hugeHeaders = await listen(createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(1024 * 1024)}\r\nContent-Length: 0\r\n\r\n`));
    }));
    const big = await post(hugeHeaders);
    expect(big.ok).toBe(false);
    expect(big.error).toMatch(/header/i);

    const never = await listen(createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial'));
    }));
    const slow = await post(never, { timeoutMs: 500 });
    expect(slow.ok).toBe(false);
    expect(slow.error).toMatch(/timed out after 500 ms/);
    expect(slow.durationMs).toBeLessThan(1500);
  });

  it('reuses a kept-alive connection, and sends once more on a new one when the target closed it', async () => {
    const bodies: string[] = [];
    const perSocket = new Map<unknown, number>();
    let connections = 0;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        const n = (perSocket.get(req.socket) ?? 0) + 1;
        perSocket.set(req.socket, n);
        // The third request on one connection finds it closed, as after a target's idle timeout.
        if (n === 3) return void req.socket.destroy();
        res.end('ok');
      });
    });
    server.on('connection', () => connections++);
    const url = await listen(server);
    const agent = createKeepAliveAgent(url);
    try {
      for (const body of ['a', 'b', 'c']) {
        const r = await sendRequest({ url, headers: [], body: Buffer.from(body), agent });
        expect([r.status, r.error]).toEqual([200, null]);
        await new Promise((r) => setImmediate(r)); // the socket goes back to the agent's pool
      }
    } finally {
      agent.destroy();
    }
    expect(bodies).toEqual(['a', 'b', 'c', 'c']);
    expect(connections).toBe(2);
  });
});
