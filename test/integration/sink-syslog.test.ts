// The syslog sink with util-linux `logger` as the client: TCP with octet counting and with
// line-feed framing (detected per connection), and UDP; RFC 5424 and RFC 3164 headers and a
// CEF payload parsed, checked against nsyslog-parser as an independent reading.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { getJson } from '../helpers/http.ts';
import type { OutputDetail, OutputSummary } from '../../server/common/protocol.ts';
import type { SyslogFields } from '../../server/sink/syslog-parse.ts';

const parseWithNsyslog = createRequire(import.meta.url)('nsyslog-parser') as (line: string) => {
  host: string; appName: string; prival: number; message: string; cef?: Record<string, string>; fields?: Record<string, string>;
};

let t: TestInspector;
let host: string;
let port: number;

beforeAll(async () => {
  t = await startTestInspector();
  [host, port] = [t.inspector.syslogAddress.split(':')[0]!, Number(t.inspector.syslogAddress.split(':')[1])];
});
afterAll(() => t.close());

function logger(args: string[], message: string): void {
  execFileSync('logger', ['--server', host, '--port', String(port), '--tag', 'soveren-test', ...args, '--', message], { timeout: 10_000 });
}

async function waitForOutput(word: string, timeoutMs = 10_000): Promise<OutputDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?q=${encodeURIComponent(word)}`);
    if (items.length > 0) return getJson<OutputDetail>(`${t.uiUrl}api/outputs/${items[0]!.id}`);
    if (Date.now() > deadline) throw new Error(`no output with "${word}"`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('syslog sink with logger', () => {
  for (const [name, args, transport] of [
    ['TCP, octet counting', ['--tcp', '--octet-count'], 'tcp'],
    ['TCP, line feeds', ['--tcp'], 'tcp'],
    ['UDP', ['--udp'], 'udp'],
  ] as const) {
    it(`takes RFC 5424 over ${name}`, async () => {
      const word = `syslog-${name.replace(/\W+/g, '-')}-marker`;
      logger([...args, '--rfc5424', '--msgid', 'SOV1', '--sd-id', 'soveren@32473', '--sd-param', 'kind="test"'], `hello ${word}`);
      const out = await waitForOutput(word);
      const fields = out.fields as SyslogFields;
      expect(out.sink).toBe('syslog');
      expect(out.transport).toBe(transport);
      expect(fields).toMatchObject({ format: 'rfc5424', appName: 'soveren-test', msgId: 'SOV1', message: `hello ${word}`, structuredData: { 'soveren@32473': { kind: 'test' } } });
      // nsyslog-parser reads the same header from the stored bytes.
      const theirs = parseWithNsyslog(out.bodyText!);
      expect([fields.appName, fields.hostname, (fields.facility! << 3) + fields.severity!]).toEqual([theirs.appName, theirs.host, theirs.prival]);
    });
  }

  it('takes RFC 3164 over TCP', async () => {
    logger(['--tcp', '--rfc3164'], 'bsd syslog-bsd-marker');
    const out = await waitForOutput('syslog-bsd-marker');
    expect(out.fields).toMatchObject({ format: 'rfc3164', appName: 'soveren-test', message: 'bsd syslog-bsd-marker' });
    expect((out.fields as SyslogFields).timestamp).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d$/);
  });

  it('parses a CEF payload into header and extension fields', async () => {
    const cef = 'CEF:0|Soveren|Soveren|1.0|policy_violation|Data type outside the allowed set|8|rt=1700000000000 msg=syslog-cef-marker request=https://app.soveren.io/events/abc cs1Label=Data types cs1=Email, Phone';
    logger(['--tcp', '--octet-count', '--rfc5424'], cef);
    const out = await waitForOutput('syslog-cef-marker');
    const fields = out.fields as SyslogFields;
    // nsyslog-parser misreads logger's structured data, so it gets the CEF message with none.
    const theirs = parseWithNsyslog(`<134>1 - host app - - - ${fields.message}`);
    expect(fields.cef).toMatchObject({
      version: '0', deviceVendor: theirs.cef!.deviceVendor, deviceProduct: theirs.cef!.deviceProduct, deviceEventClassId: theirs.cef!.deviceEventClassID,
      name: theirs.cef!.name, severity: theirs.cef!.severity, extension: theirs.fields, labeled: { 'Data types': 'Email, Phone' },
    });
    expect(out).toMatchObject({ title: 'Data type outside the allowed set', eventType: 'policy_violation', eventTime: '2023-11-14T22:13:20.000Z' });
  });
});
