// syslog+tls (RFC 5425): octet-counted RFC 5424 messages over TLS to a collector whose
// certificate is checked against --ca; without the right CA the try fails and says why.
// The collector is node:tls with a test-only certificate (test/fixtures/tls).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSyslogTransport } from '../../server/sender/transports/syslog.ts';
import { formatSyslogMessage } from '../../server/sender/transports/syslog-message.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';

const fixture = (name: string) => new URL(`../fixtures/tls/${name}`, import.meta.url);
const CERT = readFileSync(fixture('collector-cert.pem'));
let server: Server;
let port: number;
const received: Buffer[] = [];

/** Messages of an RFC 6587 octet-counted stream. */
function splitOctetCounted(data: Buffer): string[] {
  const out: string[] = [];
  for (let rest = data; rest.length > 0;) {
    const space = rest.indexOf(0x20);
    const len = Number(rest.subarray(0, space).toString());
    out.push(rest.subarray(space + 1, space + 1 + len).toString('utf8'));
    rest = rest.subarray(space + 1 + len);
  }
  return out;
}

async function messagesUntil(n: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const msgs = splitOctetCounted(Buffer.concat(received));
    if (msgs.length >= n || Date.now() > deadline) return msgs;
    await new Promise((r) => setTimeout(r, 20));
  }
}

let t: TestInspector;
beforeAll(async () => {
  server = createServer({ cert: CERT, key: readFileSync(fixture('collector-key.pem')) }, (socket) => {
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  t = await startTestInspector();
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => server.close(r));
});

describe('syslog over TLS', () => {
  it('delivers octet-counted messages to a collector whose certificate chains to the CA', async () => {
    received.length = 0;
    const msg = formatSyslogMessage({ severity: 3, msgId: 'new_data_type', deliveryId: 9, message: 'CEF:0|Soveren|Soveren|1.0|x|over TLS|8|msg=a' });
    const transport = createSyslogTransport({ protocol: 'tls', host: '127.0.0.1', port, framing: 'octet', ca: CERT });
    const r = await transport.send([msg, msg], { timeoutMs: 5000 });
    transport.close(); // the connection is kept between tries until closed
    expect([r.ok, r.error]).toEqual([true, null]);
    expect(await messagesUntil(2)).toEqual([msg, msg]);
  });

  it('refuses a collector it cannot verify, naming the reason', async () => {
    const r = await createSyslogTransport({ protocol: 'tls', host: '127.0.0.1', port, framing: 'octet' }).send(['x'], { timeoutMs: 5000 });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/self[- ]signed certificate/);
  });

  it('replay --to syslog+tls:// --ca FILE sends each delivery', async () => {
    received.length = 0;
    const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event_type: 'new_data_type', title: 'tls replay', sensitivity: 'Low' }) });
    const id = res.headers.get('x-soveren-inspector-id')!;
    const r = await runCli(['replay', '--db', t.dbPath, '--id', id, '--to', `syslog+tls://127.0.0.1:${port}`, '--format', 'soveren', '--ca', fixture('collector-cert.pem').pathname]);
    expect(r.code, r.stderr).toBe(0);
    const [msg] = await messagesUntil(1);
    expect(msg).toMatch(new RegExp(`^<133>1 \\S+ \\S+ soveren-inspector \\d+ new_data_type \\[soveren@32473 deliveryId="${id}"\\] \\{`));
    expect(JSON.parse(msg!.slice(msg!.indexOf('] ') + 2)).title).toBe('tls replay');
  });
});
