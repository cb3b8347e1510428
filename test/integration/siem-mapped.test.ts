// `replay` in each SIEM's default format, through the shared mapping: Soveren events in Splunk
// HEC envelopes (token from the environment, with indexer acknowledgement), ECS documents into
// Elasticsearch, CEF over syslog into a real rsyslog (read back by nsyslog-parser); the HEC
// token never reaches the output, the attempts, an export or the database file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import { startElasticServer } from '../helpers/elastic-server.ts';
import { startHecServer } from '../helpers/hec-server.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startRsyslog, type Rsyslog } from '../helpers/rsyslog.ts';
import { runCli } from '../helpers/cli.ts';

const parseSyslog = createRequire(import.meta.url)('nsyslog-parser') as (line: string) => { cef?: Record<string, string>; fields?: Record<string, string> };
const HEC_TOKEN = '8f6c2b7e-hec-token-never-shown';
let t: TestInspector;
let rs: Rsyslog;

const EVENT = {
  title: 'Sensitive data | sent to "partner" = yes', category: 'Data at risk', event_type: 'new_data_type', sensitivity: 'High',
  time: '2026-03-04T05:06:07.089Z', event_link: 'https://app.soveren.io/events/abc123', data_types: ['Email', 'Phone'],
};
async function capture(event: Record<string, unknown>): Promise<number> {
  const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const detail = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;

beforeAll(async () => { [t, rs] = await Promise.all([startTestInspector(), startRsyslog()]); });
afterAll(async () => { await Promise.all([t?.close(), rs?.stop()]); });

describe('replay in each SIEM\'s default format', () => {
  it('Splunk HEC: the Soveren event in an envelope, acknowledged before it counts; the token nowhere', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN, ack: true, ackAfterPolls: 2 });
    try {
      const id = await capture(EVENT);
      const r = await runCli(['replay', '--db', t.dbPath, '--id', String(id), '--to', `hec+${hec.url}`, '--hec-ack', '--hec-index', 'soveren'],
        { env: { SOVEREN_INSPECTOR_HEC_TOKEN: HEC_TOKEN } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('(soveren over Splunk HEC): 1 ok, 0 failed');
      expect(hec.events).toHaveLength(1);
      const e = hec.events[0]!;
      expect(e).toMatchObject({ time: Date.parse(EVENT.time) / 1000, source: 'soveren', sourcetype: 'soveren:event', index: 'soveren', event: EVENT });
      expect(e.fields).toMatchObject({ event_type: 'new_data_type', sensitivity: 'High' });
      expect(hec.ackPolls).toBe(2);
      const attempts = (await detail(id)).attempts;
      expect(attempts.map((a) => [a.ok, a.status, a.target])).toEqual([[true, 200, `hec+${hec.url}`]]);
      const exported = await runCli(['export', '--db', t.dbPath, '--format', 'ndjson']);
      for (const text of [r.stdout, r.stderr, JSON.stringify(attempts), exported.stdout, readFileSync(t.dbPath).toString('latin1')]) expect(text).not.toContain(HEC_TOKEN);
    } finally {
      await hec.close();
    }
  });

  it('Splunk HEC with --format ocsf: an OCSF Data Security Finding as the event', async () => {
    const hec = await startHecServer({ token: HEC_TOKEN });
    try {
      const id = await capture(EVENT);
      const r = await runCli(['replay', '--db', t.dbPath, '--id', String(id), '--to', `hec+${hec.url}`, '--format', 'ocsf', '--hec-token', HEC_TOKEN]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(HEC_TOKEN);
      expect(hec.events[0]).toMatchObject({ sourcetype: 'soveren:ocsf', event: { class_uid: 2006, severity_id: 4 } });
    } finally {
      await hec.close();
    }
  });

  it('Elasticsearch: an ECS document by default', async () => {
    const es = await startElasticServer({});
    try {
      const id = await capture(EVENT);
      const r = await runCli(['replay', '--db', t.dbPath, '--id', String(id), '--to', `elastic+${es.url}/logs-soveren-default`]);
      expect(r.code, r.stderr).toBe(0);
      const [doc] = es.indices.get('logs-soveren-default')!;
      expect(doc).toMatchObject({ '@timestamp': EVENT.time, message: EVENT.title, event: { kind: 'alert', action: 'new_data_type', url: EVENT.event_link } });
    } finally {
      await es.close();
    }
  });

  it('syslog: a CEF line in RFC 5424 by default, over TCP and UDP, values escaped and read back', async () => {
    const id = await capture(EVENT);
    for (const url of [`syslog+tcp://127.0.0.1:${rs.tcpPort}`, `syslog+udp://127.0.0.1:${rs.udpPort}`]) {
      const r = await runCli(['replay', '--db', t.dbPath, '--id', String(id), '--to', url]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('(cef over syslog over');
    }
    const got = (await rs.waitFor((all) => all.filter((x) => x.structuredData.includes(`deliveryId="${id}"`)).length >= 2))
      .filter((x) => x.structuredData.includes(`deliveryId="${id}"`));
    expect(got.map((x) => x.input).sort()).toEqual(['tcp', 'udp']);
    for (const rec of got) {
      expect([rec.facility, rec.severity, rec.appName, rec.msgid]).toEqual(['16', '3', 'soveren-inspector', 'new_data_type']);
      expect(rec.msg).toMatch(/^CEF:0\|Soveren\|Soveren\|1\.0\|new_data_type\|Sensitive data \\\| sent to "partner" = yes\|8\|/);
      const parsed = parseSyslog(`<131>1 - - - - - - ${rec.msg}`);
      expect(parsed.cef).toMatchObject({ deviceVendor: 'Soveren', deviceEventClassID: 'new_data_type', severity: '8' });
      expect(rec.msg).toContain(`rt=${Date.parse(EVENT.time)}`);
    }
  });
});
