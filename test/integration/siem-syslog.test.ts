// Syslog transport into a real rsyslog daemon: RFC 5424 over TCP with octet counting (RFC 6587
// 3.4.1, which keeps a message with an LF inside whole) and with LF framing, and over UDP; the
// test reads what rsyslog parsed (facility, severity, app-name, MSGID, structured data, MSG).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createSyslogTransport } from '../../server/sender/transports/syslog.ts';
import { formatSyslogMessage, syslogSeverity } from '../../server/sender/transports/syslog-message.ts';
import { startRsyslog, type Rsyslog } from '../helpers/rsyslog.ts';

let rs: Rsyslog;
beforeAll(async () => { rs = await startRsyslog(); });
afterAll(async () => { await rs?.stop(); });

const cef = (tag: string) => `CEF:0|Soveren|Soveren|1.0|new_data_type|Title with \\| pipe ${tag}|8|msg=a\\=b ünïcode cs1Label=Data types cs1=Email`;
const line = (tag: string, severity = 3, deliveryId = 1) => formatSyslogMessage({ severity, msgId: 'new_data_type', deliveryId, message: cef(tag) });

describe('syslog transport into rsyslog', () => {
  it('maps sensitivity to severity: High 3, Medium 4, Low 5, unknown 6', () => {
    expect(['High', 'Medium', 'Low', undefined, 'Critical'].map(syslogSeverity)).toEqual([3, 4, 5, 6, 6]);
  });

  it('TCP with octet counting: each message arrives whole, header and structured data parsed', async () => {
    const t = createSyslogTransport({ protocol: 'tcp', host: '127.0.0.1', port: rs.tcpPort, framing: 'octet' });
    // An LF inside a message would split it under LF framing; octet counting keeps it one message.
    const r = await t.send([line('tcp-octet-1', 3, 41), `${line('tcp-octet-2', 4, 42)}\nsecond line`], { timeoutMs: 5000 });
    expect([r.ok, r.error, r.status]).toEqual([true, null, null]);
    const got = (await rs.waitFor((all) => all.filter((x) => x.msg.includes('tcp-octet')).length >= 2)).filter((x) => x.msg.includes('tcp-octet'));
    expect(got).toHaveLength(2);
    expect(got.map((x) => [x.facility, x.severity, x.protocolVersion, x.appName, x.msgid, x.structuredData])).toEqual([
      ['16', '3', '1', 'soveren-inspector', 'new_data_type', '[soveren@32473 deliveryId="41"]'],
      ['16', '4', '1', 'soveren-inspector', 'new_data_type', '[soveren@32473 deliveryId="42"]'],
    ]);
    expect(got[0]!.msg).toBe(cef('tcp-octet-1'));
    // rsyslog escapes the control character (#012) but it is the same message.
    expect(got[1]!.msg).toMatch(/tcp-octet-2\|8\|.*cs1=Email(#012|\n)second line$/);
    expect(got[0]!.procid).toBe(String(process.pid));
  });

  it('TCP with LF framing', async () => {
    const t = createSyslogTransport({ protocol: 'tcp', host: '127.0.0.1', port: rs.tcpPort, framing: 'lf' });
    const r = await t.send([line('tcp-lf-1', 5), line('tcp-lf-2', 6)], { timeoutMs: 5000 });
    expect(r.ok).toBe(true);
    const got = (await rs.waitFor((all) => all.filter((x) => x.msg.includes('tcp-lf')).length >= 2)).filter((x) => x.msg.includes('tcp-lf'));
    expect(got.map((x) => [x.severity, x.msg])).toEqual([['5', cef('tcp-lf-1')], ['6', cef('tcp-lf-2')]]);
  });

  it('UDP: one datagram per message', async () => {
    const t = createSyslogTransport({ protocol: 'udp', host: '127.0.0.1', port: rs.udpPort, framing: 'octet' });
    const r = await t.send([line('udp-1'), line('udp-2')], { timeoutMs: 5000 });
    expect(r.ok).toBe(true);
    const got = (await rs.waitFor((all) => all.filter((x) => x.msg.includes('udp-')).length >= 2)).filter((x) => x.msg.includes('udp-'));
    expect(got.map((x) => [x.input, x.msg]).sort()).toEqual([['udp', cef('udp-1')], ['udp', cef('udp-2')]]);
  });

  it('a UDP message too large for a datagram fails without sending', async () => {
    const t = createSyslogTransport({ protocol: 'udp', host: '127.0.0.1', port: rs.udpPort, framing: 'octet' });
    const r = await t.send(['x'.repeat(70_000)], { timeoutMs: 1000 });
    expect([r.ok, r.retryable]).toEqual([false, false]);
    expect(r.error).toMatch(/70000 bytes does not fit one UDP datagram/);
  });

  it('a closed port is a failed, retryable try naming the cause', async () => {
    const probe = createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const port = (probe.address() as { port: number }).port;
    await new Promise((res) => probe.close(res));
    const r = await createSyslogTransport({ protocol: 'tcp', host: '127.0.0.1', port, framing: 'octet' }).send([line('x')], { timeoutMs: 2000 });
    expect([r.ok, r.retryable, r.error]).toEqual([false, true, 'connection refused (is the syslog collector listening?)']);
  });
});
