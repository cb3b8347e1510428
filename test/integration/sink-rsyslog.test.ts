// A real rsyslog daemon forwards to the syslog sink with omfwd, over TCP with octet counting,
// TCP with line feeds and UDP; the sink stores each message with rsyslog's RFC 5424 header.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startRsyslogForwarder, type ForwardWay, type RsyslogForwarder } from '../helpers/rsyslog-forwarder.ts';
import { getJson } from '../helpers/http.ts';
import type { OutputDetail, OutputSummary } from '../../server/common/protocol.ts';
import type { SyslogFields } from '../../server/sink/syslog-parse.ts';

let t: TestInspector;
let rsyslog: RsyslogForwarder;

beforeAll(async () => {
  t = await startTestInspector();
  const [host, port] = t.inspector.syslogAddress.split(':');
  rsyslog = await startRsyslogForwarder({ host: host!, port: Number(port) });
});
afterAll(async () => {
  await rsyslog?.stop();
  await t?.close();
});

async function waitForOutput(word: string, timeoutMs = 15_000): Promise<OutputDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?q=${encodeURIComponent(word)}`);
    if (items.length > 0) return getJson<OutputDetail>(`${t.uiUrl}api/outputs/${items[0]!.id}`);
    if (Date.now() > deadline) throw new Error(`rsyslog forwarded nothing with "${word}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('rsyslog forwarding to the syslog sink', () => {
  for (const [way, transport] of [['octet', 'tcp'], ['lf', 'tcp'], ['udp', 'udp']] as [ForwardWay, string][]) {
    it(`stores what rsyslog forwards (${way})`, async () => {
      const word = `rsyslog-${way}-marker`;
      const cef = `CEF:0|Soveren|Soveren|1.0|anomaly_detected|Anomaly detected|8|msg=${word} rt=1700000000000`;
      execFileSync('logger', ['--server', '127.0.0.1', '--port', String(rsyslog.inputPort[way]), '--tcp', '--rfc5424', '--tag', 'soveren-connector', '--', cef], { timeout: 10_000 });
      const out = await waitForOutput(word);
      expect(out.transport).toBe(transport);
      const fields = out.fields as SyslogFields;
      expect(fields).toMatchObject({ format: 'rfc5424', appName: 'soveren-connector' });
      expect(fields.cef).toMatchObject({ deviceEventClassId: 'anomaly_detected', name: 'Anomaly detected', severity: '8', extension: { msg: word, rt: '1700000000000' } });
      expect(out).toMatchObject({ title: 'Anomaly detected', eventType: 'anomaly_detected' });
    });
  }
});
