// Over-limit bodies: refused early (413) with or without Content-Length, chunked included,
// the server's memory stays bounded (its peak RSS does not grow by the body size), and the
// refusal is recorded as a delivery.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portOf, spawnServe, tempDbPath, type ServeProcess } from '../helpers/serve-process.ts';
import { rawRequest } from '../helpers/http.ts';

const MiB = 1024 * 1024;
const TOTAL = 50 * MiB;
let serve: ServeProcess;

beforeAll(async () => {
  serve = await spawnServe(['--db', tempDbPath(), '--quiet', '--max-body', '1m']);
});
afterAll(async () => {
  await serve.stop();
});

interface Upload {
  status: number;
  /** Bytes written when the first answer byte arrived. */
  sentAtAnswer: number;
  /** Bytes written in all, until the server closed or the answer came. */
  sent: number;
  ms: number;
}

/**
 * Send `total` body bytes as fast as the socket takes them (respecting backpressure, so
 * the client itself stays small) and stop as soon as the server answers or hangs up.
 */
function upload(path: string, total: number, chunked: boolean): Promise<Upload> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = connect(portOf(serve.receiverUrl), '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let answer = '';
    let sentAtAnswer = -1;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), sentAtAnswer, sent, ms: performance.now() - t0 });
    };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      if (sentAtAnswer < 0) sentAtAnswer = sent;
      answer += d;
      if (answer.includes('\r\n\r\n')) setTimeout(finish, 50);
    });
    socket.on('error', finish);
    socket.on('close', finish);
    const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`;
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${length}\r\n\r\n`);
    const pump = () => {
      while (!finished && sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
        const framed = chunked ? Buffer.concat([Buffer.from(part.length.toString(16) + '\r\n'), part, Buffer.from('\r\n')]) : part;
        sent += part.length;
        if (!socket.write(framed)) return void socket.once('drain', pump);
      }
      if (!finished && chunked) socket.write('0\r\n\r\n');
    };
    socket.once('connect', pump);
  });
}

describe('body limit (--max-body 1m)', () => {
  it('refuses 50 MiB early, declared or chunked, without the server buffering it', async () => {
    const before = serve.memory();
    const declared = await upload('/declared', TOTAL, false);
    const chunked = await upload('/chunked', TOTAL, true);
    const after = serve.memory();

    for (const [name, r] of [['declared', declared], ['chunked', chunked]] as const) {
      expect(r.status, name).toBe(413);
      // The answer came long before the client could have sent everything...
      expect(r.sentAtAnswer, name).toBeGreaterThanOrEqual(0);
      expect(r.sentAtAnswer, name).toBeLessThan(TOTAL / 4);
      // ...and the server stopped reading: the client could not push the rest.
      expect(r.sent, name).toBeLessThan(TOTAL / 4);
      expect(r.ms, name).toBeLessThan(5000);
    }
    // Declared over the limit: refused before any of the body is needed.
    expect(declared.sentAtAnswer).toBeLessThan(16 * MiB);
    // The server's peak RSS grew by far less than the 100 MiB offered to it.
    expect(after.peak - before.peak).toBeLessThan(16 * MiB);
  });

  it('cuts off a client that ignores the 413 and keeps the connection open', async () => {
    const t0 = performance.now();
    const closed = await new Promise<string>((resolve) => {
      // allowHalfOpen: the server's FIN does not make this client close its side.
      const socket = connect({ port: portOf(serve.receiverUrl), host: '127.0.0.1', allowHalfOpen: true });
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (answer += d));
      socket.on('error', () => {});
      socket.on('close', () => resolve(answer));
      // Keeps trickling body bytes whatever the answer, and never closes its side.
      socket.write(`POST /stubborn HTTP/1.1\r\nHost: x\r\nContent-Length: ${TOTAL}\r\n\r\n`);
      const drip = setInterval(() => socket.write('a'.repeat(1000)), 100);
      socket.on('close', () => clearInterval(drip));
      setTimeout(() => socket.destroy(), 6000);
    });
    expect(closed).toMatch(/^HTTP\/1\.1 413 /);
    // Held half-closed for the linger second, then cut.
    expect(performance.now() - t0).toBeGreaterThan(800);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('records each refusal as a delivery', async () => {
    const list = JSON.parse((await rawRequest(serve.uiUrl + 'api/deliveries?limit=100', { method: 'GET' })).body) as {
      items: { id: number; path: string; status: number; refused: string | null; size: number }[];
    };
    const declared = list.items.find((d) => d.path === '/declared');
    const chunked = list.items.find((d) => d.path === '/chunked');
    expect(declared).toMatchObject({ status: 413, refused: 'too_large', size: TOTAL });
    expect(chunked).toMatchObject({ status: 413, refused: 'too_large' });
    expect(chunked!.size).toBeGreaterThan(MiB);
    const detail = JSON.parse((await rawRequest(`${serve.uiUrl}api/deliveries/${chunked!.id}`, { method: 'GET' })).body) as { findings: { code: string }[]; bodyBase64: string };
    expect(detail.findings.map((f) => f.code)).toContain('too_large');
    expect(detail.bodyBase64).toBe('');
  });

  it('takes exactly the limit, and refuses one byte more, chunked or declared', async () => {
    expect((await upload('/at-limit', MiB, false)).status).toBe(200);
    expect((await upload('/at-limit-chunked', MiB, true)).status).toBe(200);
    expect((await upload('/over-by-one', MiB + 1, false)).status).toBe(413);
    expect((await upload('/over-by-one-chunked', MiB + 1, true)).status).toBe(413);
    const list = JSON.parse((await rawRequest(serve.uiUrl + 'api/deliveries?q=path:/at-limit*', { method: 'GET' })).body) as { items: { size: number }[] };
    expect(list.items.map((d) => d.size)).toEqual([MiB, MiB]);
  });
});
