// Receiver header and body timeouts: a client trickling bytes (or sending nothing) is cut
// off near --timeout, while normal deliveries on other connections stay fast meanwhile.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { portOf } from '../helpers/serve-process.ts';
import { rawRequest } from '../helpers/http.ts';

const TIMEOUT_MS = 1000;
let t: TestInspector;

beforeAll(async () => {
  t = await startTestInspector({ timeoutMs: TIMEOUT_MS });
  // The first delivery pays one-time costs (code compiled on first use, the writer's first
  // commit); what is measured below is whether slow clients delay the others.
  expect((await rawRequest(t.receiverUrl + 'warm-up', { headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

/**
 * Open a connection, write `first`, then one byte of `drip` every 100 ms; resolves with how
 * long the server let it live and what it answered. Bounded: gives up after 6 s.
 */
function trickle(first: string, drip: string): Promise<{ ms: number; answer: string; bytesDripped: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(portOf(t.receiverUrl), '127.0.0.1');
    let answer = '';
    let dripped = 0;
    const timer = setInterval(() => {
      if (dripped < drip.length && !socket.destroyed) socket.write(drip[dripped++]!);
    }, 100);
    const giveUp = setTimeout(() => socket.destroy(), 6000);
    const end = () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ ms: performance.now() - started, answer, bytesDripped: dripped });
    };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (answer += d));
    socket.on('close', end);
    socket.on('error', () => {});
    if (first) socket.write(first);
  });
}

/** Normal deliveries, one after another on fresh connections, for `ms`; returns each latency. */
async function normalTraffic(ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  for (let i = 0; i < 200 && performance.now() < until; i++) {
    const t0 = performance.now();
    const r = await rawRequest(t.receiverUrl + 'normal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"title":"normal ${i}"}` });
    expect(r.status).toBe(200);
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 40));
  }
  return latencies;
}

describe('receiver timeouts (--timeout 1s)', () => {
  it('cuts off trickled headers, trickled bodies and silent connections near the timeout', async () => {
    const headerDrip = 'X-Slow: ' + 'a'.repeat(100);
    const body = '{"title":"slow"}'.padEnd(200, ' ');
    const [headers, bodyTrickle, silent, latencies] = await Promise.all([
      trickle('POST /slow-headers HTTP/1.1\r\nHost: x\r\n', headerDrip),
      trickle(`POST /slow-body HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body),
      trickle('', ''),
      normalTraffic(2500),
    ]);
    for (const [name, r] of [['headers', headers], ['body', bodyTrickle], ['silent', silent]] as const) {
      // Cut off near the timeout (checked every quarter of it), long before the drip ends.
      expect(r.ms, name).toBeGreaterThan(TIMEOUT_MS - 100);
      expect(r.ms, name).toBeLessThan(TIMEOUT_MS * 1.25 + 400);
      expect(r.answer, name).not.toMatch(/^HTTP\/1\.1 2/);
    }
    expect(headers.bytesDripped).toBeLessThan(headerDrip.length);
    expect(bodyTrickle.bytesDripped).toBeLessThan(body.length);
    // Meanwhile other clients were served promptly.
    expect(latencies.length).toBeGreaterThan(20);
    expect(Math.max(...latencies)).toBeLessThan(250);

    // The trickled requests were never acknowledged or stored as deliveries.
    const list = JSON.parse((await rawRequest(t.uiUrl + 'api/deliveries?limit=500', { method: 'GET' })).body) as { items: { path: string; status: number }[] };
    expect(list.items.filter((d) => d.path.startsWith('/slow') && d.status < 300)).toEqual([]);
  });

  it('still takes a delivery whose bytes arrive slowly but within the timeout', async () => {
    const body = '{"title":"just in time"}';
    const r = await trickle(`POST /in-time HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 4}\r\n\r\n${body}`, '    ');
    expect(r.answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
