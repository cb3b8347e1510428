// RFC 5424 lines as the syslog transport writes them, read back by an independent parser
// (nsyslog-parser): PRI from facility local0 and the sensitivity, app-name, MSGID kept within
// PRINTUSASCII, structured data with the delivery id, and the RFC 6587 framings.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { formatSyslogMessage, frameLf, frameOctetCounted } from '../../server/sender/transports/syslog-message.ts';

const parse = createRequire(import.meta.url)('nsyslog-parser') as (line: string) => {
  facility: string; level: string; version: number; appName: string; pid: string; messageid: string; host: string; ts: Date;
  structuredData: Record<string, string>[]; message: string; cef?: Record<string, string>;
};

describe('RFC 5424 syslog message', () => {
  it('reads back with facility local0, the severity, app-name, MSGID and the delivery id', () => {
    const cef = 'CEF:0|Soveren|Soveren|1.0|new_data_type|Title \\| pipe|8|msg=a cs1Label=Data types cs1=Email';
    const line = formatSyslogMessage({ severity: 4, msgId: 'new_data_type', deliveryId: 42, message: cef, time: new Date('2026-01-02T03:04:05.678Z'), host: 'inspector-host' });
    const p = parse(line);
    expect([p.facility, p.level, p.version, p.appName, p.pid, p.messageid, p.host, p.ts]).toEqual(
      ['local0', 'warn', 1, 'soveren-inspector', String(process.pid), 'new_data_type', 'inspector-host', new Date('2026-01-02T03:04:05.678Z')]);
    expect(p.structuredData).toEqual([{ $id: 'soveren@32473', deliveryId: '42' }]);
    expect(p.message).toBe(cef);
    expect(p.cef).toMatchObject({ deviceVendor: 'Soveren', deviceEventClassID: 'new_data_type', severity: '8' });
  });

  it('keeps header fields to printable ASCII, bounded, "-" when empty', () => {
    const p = parse(formatSyslogMessage({ severity: 6, msgId: 'weird type ü'.padEnd(40, 'x'), deliveryId: 1, message: 'm', host: 'h' }));
    expect(p.messageid).toBe('weird_type__xxxxxxxxxxxxxxxxxxxx');
    expect(p.messageid).toHaveLength(32);
    expect(parse(formatSyslogMessage({ severity: 6, msgId: null, deliveryId: 1, message: 'm', host: 'h' })).messageid).toBe('-');
  });

  it('frames by octet count (bytes, not characters) or by LF with inner newlines escaped', () => {
    expect(frameOctetCounted('ünï').toString('utf8')).toBe('5 ünï');
    expect(frameLf('a\nb\r\nc').toString('utf8')).toBe('a\\nb\\nc\n');
  });
});
