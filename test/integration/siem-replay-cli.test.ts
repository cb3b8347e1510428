// `replay` into SIEMs as a user runs it, beside a running inspector: Elasticsearch _bulk and a
// real rsyslog receive the stored deliveries, every try is an attempt with the target redacted,
// bad combinations exit 2 naming the flag, and no secret reaches the output, the attempts,
// the database file or an export.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import { startElasticServer } from '../helpers/elastic-server.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startRsyslog, type Rsyslog } from '../helpers/rsyslog.ts';
import { runCli } from '../helpers/cli.ts';

const API_KEY = 'RVNfQVBJX0tFWV9zZWNyZXQ6OTk5';
const PASSWORD = 'basic-pa55word';
let t: TestInspector;
let rs: Rsyslog;

async function capture(event: Record<string, unknown>): Promise<number> {
  const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event, null, 2) });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}
const detail = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;
const event = (n: number, sensitivity = 'High') => ({ event_type: 'new_data_type', category: 'Data at risk', title: `SIEM replay ${n}`, sensitivity, time: '2026-01-01T00:00:00Z' });

beforeAll(async () => { [t, rs] = await Promise.all([startTestInspector(), startRsyslog()]); });
afterAll(async () => { await Promise.all([t?.close(), rs?.stop()]); });

describe('replay into a SIEM', () => {
  it('Elasticsearch: documents created from the stored bodies, ApiKey from the environment, the key never shown or stored', async () => {
    const es = await startElasticServer({ apiKey: API_KEY });
    try {
      const ids = [await capture(event(1)), await capture(event(2))];
      const r = await runCli(['replay', '--db', t.dbPath, '--id', ids.join(','), '--to', `elastic+${es.url}/soveren-events`, '--format', 'soveren'],
        { env: { SOVEREN_INSPECTOR_ELASTIC_API_KEY: API_KEY } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/replayed 2 deliveries to elastic\+http:\/\/127\.0\.0\.1:\d+\/soveren-events \(soveren over Elasticsearch _bulk into soveren-events\): 2 ok, 0 failed/);
      expect(es.indices.get('soveren-events')!.map((d) => d.title)).toEqual(['SIEM replay 1', 'SIEM replay 2']);
      expect(es.requests.every((q) => q.headers.authorization === `ApiKey ${API_KEY}`)).toBe(true);
      const attempts = (await detail(ids[0]!)).attempts;
      expect(attempts.map((a) => [a.kind, a.status, a.ok, a.target])).toEqual([['replay', 200, true, `elastic+${es.url}/soveren-events`]]);
      const exported = await runCli(['export', '--db', t.dbPath, '--format', 'ndjson']);
      for (const text of [r.stdout, r.stderr, JSON.stringify(attempts), exported.stdout, readFileSync(t.dbPath).toString('latin1')]) {
        expect(text).not.toContain(API_KEY);
      }
    } finally {
      await es.close();
    }
  });

  it('Elasticsearch: basic auth from the URL, a rejected document fails with the reason and exit 1, user:password removed from attempts', async () => {
    const es = await startElasticServer({ basic: `elastic:${PASSWORD}`, reject: (d) => (d.title === 'SIEM replay 4' ? 'field [title] is not allowed here' : null) });
    try {
      const ids = [await capture(event(3)), await capture(event(4))];
      const to = `elastic+${es.url.replace('//', `//elastic:${PASSWORD}@`)}/ix`;
      const r = await runCli(['replay', '--db', t.dbPath, '--id', ids.join(','), '--to', to, '--format', 'soveren']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Elasticsearch rejected 1 of 1 documents; document 1: 400 document_parsing_exception: field [title] is not allowed here');
      const [ok, rejected] = [(await detail(ids[0]!)).attempts, (await detail(ids[1]!)).attempts];
      expect(ok.map((a) => [a.ok, a.target])).toEqual([[true, `elastic+${es.url}/ix`]]);
      expect(rejected.map((a) => [a.ok, a.status])).toEqual([[false, 200]]);
      expect(rejected[0]!.error).toMatch(/field \[title\] is not allowed here/);
      for (const text of [r.stdout, r.stderr, JSON.stringify([ok, rejected]), readFileSync(t.dbPath).toString('latin1')]) expect(text).not.toContain(PASSWORD);
    } finally {
      await es.close();
    }
  });

  it.each([
    ['TCP, octet counting', (p: Rsyslog) => `syslog+tcp://127.0.0.1:${p.tcpPort}`, 'tcp'],
    ['TCP, LF framing', (p: Rsyslog) => `syslog+tcp://127.0.0.1:${p.tcpPort}?framing=lf`, 'tcp'],
    ['UDP', (p: Rsyslog) => `syslog+udp://127.0.0.1:${p.udpPort}`, 'udp'],
  ])('syslog over %s: rsyslog receives one RFC 5424 message per delivery', async (name, url, input) => {
    const tag = name.replace(/\W+/g, '-');
    const ids = [await capture({ ...event(5, 'Medium'), title: `${tag} a` }), await capture({ ...event(6, 'Low'), title: `${tag} b` })];
    const r = await runCli(['replay', '--db', t.dbPath, '--id', ids.join(','), '--to', url(rs), '--format', 'soveren']);
    expect(r.code, r.stderr).toBe(0);
    const got = (await rs.waitFor((all) => all.filter((x) => x.msg.includes(tag)).length >= 2)).filter((x) => x.msg.includes(tag));
    expect(got.map((x) => [x.input, x.facility, x.severity, x.appName, x.msgid, x.structuredData])).toEqual([
      [input, '16', '4', 'soveren-inspector', 'new_data_type', `[soveren@32473 deliveryId="${ids[0]}"]`],
      [input, '16', '5', 'soveren-inspector', 'new_data_type', `[soveren@32473 deliveryId="${ids[1]}"]`],
    ]);
    // The stored body, pretty-printed on arrival, travels as one JSON line.
    expect(JSON.parse(got[0]!.msg)).toEqual({ ...event(5, 'Medium'), title: `${tag} a` });
    expect((await detail(ids[0]!)).attempts.map((a) => [a.ok, a.status, a.target])).toEqual([[true, null, url(rs)]]);
  });

  it.each([
    [['--to', 'hec+http://127.0.0.1:8088'], /^soveren-inspector: --hec-token: a hec\+ target needs a Splunk HEC token \(or set SOVEREN_INSPECTOR_HEC_TOKEN\)$/m],
    [['--to', 'elastic+http://127.0.0.1:9200/ix', '--format', 'cef'], /^soveren-inspector: --format: an Elasticsearch document is JSON/m],
    [['--to', 'elastic+http://127.0.0.1:9200'], /^soveren-inspector: --to: elastic\+ targets name one index or data stream as the path/m],
    [['--to', 'syslog+tcp://127.0.0.1'], /^soveren-inspector: --to: syslog\+tcp:\/\/ needs a port/m],
    [['--to', 'syslog+udp://127.0.0.1:514?framing=lf'], /^soveren-inspector: --to: framing=lf is for syslog\+tcp only/m],
    [['--to', 'syslog+tcp://127.0.0.1:514', '--token', 'x'], /^soveren-inspector: --token, --keep-signature and --unsigned sign Soveren webhooks/m],
    [['--to', 'syslog+tcp://127.0.0.1:514', '--ca', '/nonexistent.pem'], /^soveren-inspector: --ca \/nonexistent\.pem: no such file$/m],
    [['--to', 'http://127.0.0.1:1/', '--format', 'ecs', '--unsigned'], /^soveren-inspector: --format: http\(s\) targets get the Soveren webhook as received/m],
    [['--to', 'gopher://x'], /^soveren-inspector: --to: unsupported scheme "gopher:"/m],
  ])('usage error %j exits 2 with a line naming the flag', async (args, message) => {
    const r = await runCli(['replay', '--db', t.dbPath, '--id', '1', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--help lists the SIEM flags with their environment variables, never a secret value', async () => {
    const r = await runCli(['replay', '--help'], { env: { SOVEREN_INSPECTOR_HEC_TOKEN: 'hec-help-secret' } });
    expect(r.code).toBe(0);
    for (const flag of ['--format', '--hec-token', '--hec-ack', '--elastic-api-key', '--ca', 'SOVEREN_INSPECTOR_HEC_TOKEN', 'SOVEREN_INSPECTOR_ELASTIC_API_KEY']) expect(r.stdout).toContain(flag);
    expect(r.stdout).not.toContain('hec-help-secret');
  });
});
