// Hostile input at the sinks: oversized, malformed, binary, slow and never-finishing clients
// each get their documented error or a closed connection within --timeout; nothing is stored
// from them, nothing crashes, and the receiver keeps answering meanwhile.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { getJson, rawRequest } from '../helpers/http.ts';
import type { Health } from '../../server/common/protocol.ts';

const TIMEOUT_MS = 1000;
let t: TestInspector;
let sinkPort: number;
let syslogPort: number;

beforeAll(async () => {
  t = await startTestInspector({ timeoutMs: TIMEOUT_MS, maxBody: 64 * 1024 });
  sinkPort = Number(new URL(t.inspector.sinkUrl).port);
  syslogPort = Number(t.inspector.syslogAddress.split(':')[1]);
});
afterAll(() => t.close());

/** Connect, write `data`, and resolve with how long the server took to close the connection (or what it answered). */
function until(port: number, data: Buffer | string, opts: { trickle?: string; maxMs?: number } = {}): Promise<{ closedAfterMs: number; received: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | null = null;
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => {
      if (timer) clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
    socket.write(data);
    if (opts.trickle !== undefined) timer = setInterval(() => socket.write(opts.trickle!), 100);
    setTimeout(() => reject(new Error('the server never closed the connection')), opts.maxMs ?? TIMEOUT_MS * 6).unref();
  });
}

const outputsCount = async () => (await getJson<Health>(`${t.uiUrl}api/health`)).sinks!.outputs;

describe('bad input at the sinks', () => {
  it('closes syslog connections that are not syslog, oversized or with a bad octet count', async () => {
    const cases: [string, Buffer | string][] = [
      ['binary first byte', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a])],
      ['octet count over 64 KiB', '99999 <13>1 - - - - - - x'],
      ['octet count too long', '1234567 <13>'],
      ['octet count not digits', '12a4 <13>1 - - - - - - x'],
      ['LF frame over 64 KiB', '<13>1 - - - - - - ' + 'x'.repeat(70 * 1024)],
    ];
    for (const [name, data] of cases) {
      const r = await until(syslogPort, data);
      expect(r.closedAfterMs, name).toBeLessThan(TIMEOUT_MS);
    }
    expect(await outputsCount()).toBe(0);
  });

  it('closes a syslog client that trickles a frame or sends nothing, within --timeout', async () => {
    const trickling = until(syslogPort, '<13>1 - host app - - - slow', { trickle: 'x' });
    const silent = until(syslogPort, '');
    // Meanwhile the receiver answers at once.
    const before = Date.now();
    const r = await rawRequest(t.receiverUrl, { body: '{"title":"still served"}' });
    expect(r.status).toBe(200);
    expect(Date.now() - before).toBeLessThan(500);
    for (const closed of await Promise.all([trickling, silent])) {
      expect(closed.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(closed.closedAfterMs).toBeLessThan(TIMEOUT_MS * 3);
    }
  });

  it('cuts an HTTP client that never finishes its body within --timeout', async () => {
    const head = `POST /services/collector/event HTTP/1.1\r\nHost: x\r\nAuthorization: Splunk t\r\nContent-Length: 1000\r\n\r\n{"event":`;
    const r = await until(sinkPort, head, { trickle: ' ' });
    expect(r.closedAfterMs).toBeLessThan(TIMEOUT_MS * 3);
    const headers = await until(sinkPort, 'POST /_bulk HTTP/1.1\r\nHost: x\r\n', { trickle: 'X-Slow: 1\r\n' });
    expect(headers.closedAfterMs).toBeLessThan(TIMEOUT_MS * 3);
    expect(await outputsCount()).toBe(0);
  });

  it('answers oversized, binary and malformed bodies with the documented errors', async () => {
    const big = await rawRequest(t.inspector.sinkUrl + 'services/collector/event', { headers: [['Authorization', 'Splunk t']], body: `{"event":"${'x'.repeat(70 * 1024)}"}` });
    expect(big.status).toBe(413);
    const binary = await rawRequest(t.inspector.sinkUrl + 'services/collector/event', { headers: [['Authorization', 'Splunk t']], body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) });
    expect([binary.status, binary.json()]).toEqual([400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 }]);
    const unclosed = await rawRequest(t.inspector.sinkUrl + 'services/collector/event', { headers: [['Authorization', 'Splunk t']], body: '{"event":"a"}{"event":' });
    expect([unclosed.status, unclosed.json()]).toEqual([400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 }]);
    const esBinary = await rawRequest(t.inspector.sinkUrl + '_bulk', { body: Buffer.from([0xff, 0x0a]) });
    expect(esBinary.status).toBe(400);
    expect(esBinary.json().error.type).toBe('illegal_argument_exception');
    const gzipLie = await rawRequest(t.inspector.sinkUrl + '_bulk', { headers: [['Content-Encoding', 'gzip']], body: 'not gzip' });
    expect(gzipLie.status).toBe(400);
    const brotli = await rawRequest(t.inspector.sinkUrl + 'x/y', { headers: [['Content-Encoding', 'br']], body: 'x' });
    expect(brotli.status).toBe(415);
    const ack = await rawRequest(t.inspector.sinkUrl + 'services/collector/ack?channel=0f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b', { headers: [['Authorization', 'Splunk t']], body: '{"acks":"all"}' });
    expect([ack.status, ack.json()]).toEqual([400, { text: 'Invalid data format', code: 6 }]);
    // Only the first event of the unclosed batch was stored; the sink still answers.
    expect(await outputsCount()).toBe(1);
    const health = await rawRequest(t.inspector.sinkUrl + 'services/collector/health', { method: 'GET' });
    expect(health.status).toBe(200);
  });

  it('keeps the receiver and the UI answering while sink clients trickle, hang and send bad bodies', async () => {
    const storedBefore = await outputsCount();
    // Twenty of each: HTTP bodies that never finish, syslog frames that never end, and malformed _bulk bodies.
    const hanging = [
      ...Array.from({ length: 20 }, () => until(sinkPort, 'POST /_bulk HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"index":', { trickle: ' ' })),
      ...Array.from({ length: 20 }, () => until(syslogPort, '<13>1 - host app - - - never ends', { trickle: 'x' })),
    ];
    const malformed = '{"index":{"_index":"a"}}\n{"n":1}\n'.repeat(1500) + '{"index":\n';
    const bad = Array.from({ length: 20 }, () => rawRequest(t.inspector.sinkUrl + '_bulk', { headers: [['Content-Type', 'application/x-ndjson']], body: malformed }));
    // Meanwhile a delivery and the UI's health, each answered well within --timeout.
    const started = Date.now();
    const delivery = await rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json']], body: '{"title":"while the sinks are abused"}' });
    const deliveryMs = Date.now() - started;
    const health = await rawRequest(`${t.uiUrl}api/health`, { method: 'GET' });
    const bothMs = Date.now() - started;
    expect(delivery.status).toBe(200);
    expect(health.status).toBe(200);
    expect(deliveryMs).toBeLessThan(TIMEOUT_MS);
    expect(bothMs).toBeLessThan(TIMEOUT_MS);
    for (const r of await Promise.all(bad)) expect([r.status, r.json().error.reason]).toEqual([400, expect.stringContaining('Malformed action/metadata line [3001]')]);
    for (const r of await Promise.all(hanging)) expect(r.closedAfterMs).toBeLessThan(TIMEOUT_MS * 3);
    expect(await outputsCount()).toBe(storedBefore);
  });
});
