// `check --through elastic|syslog|http`: the check starts its sinks, a small connector writes
// into each the way real ones do (official Elasticsearch client's _bulk, RFC 5424 + CEF over
// octet-counted TCP, Sentinel-style JSON arrays). A correct connector passes every SIEM
// result; a faulty one fails with the reason naming the field or the event type.
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, runThroughCheck, siemResult as siem } from '../helpers/check-through.ts';
import { startElasticConnector, startHttpConnector, startSyslogConnector, type ThroughConnector } from './through-connectors.ts';

const TOKEN = 'whsec-through-sinks-7a2c';
const SINK_TOKEN = 'sink-through-sinks';
// A short selection keeps the faulty runs quick; the correct ones send every scenario.
const FAULT_ONLY = 'event_type,category';
let sinkPort: number;
let syslogPort: number;

beforeAll(async () => {
  sinkPort = await freePort();
  syslogPort = await freePort();
});

const sinkUrl = () => `http://127.0.0.1:${sinkPort}`;
const run = (through: 'elastic' | 'syslog' | 'http', url: string, only?: string) =>
  runThroughCheck({ url, token: TOKEN, through, sinkPort, syslogPort, sinkToken: SINK_TOKEN, ...(only && { only }) });

async function expectPass(through: 'elastic' | 'syslog' | 'http', connector: ThroughConnector): Promise<void> {
  try {
    const { code, report, stderr } = await run(through, connector.url);
    expect(stderr).toContain(`sink: ${sinkUrl()}/`);
    for (const id of ['siem-reached', 'siem-forged', 'siem-mapped', 'siem-severity']) expect([id, siem(report, id).outcome, siem(report, id).reason]).toEqual([id, 'pass', null]);
    expect(siem(report, 'siem-reached').got).toMatch(/^(\d+)\/\1 arrived$/);
    expect(Number(/^(\d+)/.exec(siem(report, 'siem-reached').got)![1])).toBeGreaterThanOrEqual(29 + 4 + 20);
    expect(siem(report, 'siem-latency').latency!.count).toBeGreaterThan(50);
    // From each delivery to its arrival: the connector writes before it answers, so never below 0.
    expect(siem(report, 'siem-latency').latency!.p50Ms).toBeGreaterThanOrEqual(0);
    expect(code).toBe(0);
  } finally {
    await connector.close();
  }
}

async function expectFail(through: 'elastic' | 'syslog' | 'http', connector: ThroughConnector, id: string, reason: RegExp): Promise<void> {
  try {
    const { code, report } = await run(through, connector.url, FAULT_ONLY);
    expect([id, siem(report, id).outcome]).toEqual([id, 'fail']);
    expect(siem(report, id).reason).toMatch(reason);
    // The connector's own answers were right: only the SIEM side fails.
    expect(report.scenarios.filter((s) => s.group !== 'siem' && s.outcome === 'fail')).toEqual([]);
    expect(code).toBe(1);
  } finally {
    await connector.close();
  }
}

describe('check --through elastic', () => {
  it('passes a connector writing ECS documents with the official client\'s bulk API', async () => {
    await expectPass('elastic', await startElasticConnector({ token: TOKEN, sinkUrl: sinkUrl(), apiKey: SINK_TOKEN }));
  }, 90_000);

  it('fails one that shifts @timestamp by its time zone, naming the time field', async () => {
    await expectFail('elastic', await startElasticConnector({ token: TOKEN, sinkUrl: sinkUrl(), apiKey: SINK_TOKEN, fault: 'time-zone' }),
      'siem-mapped', /^[a-z0-9_]+ ".*": time not kept/);
  }, 60_000);
});

describe('check --through syslog', () => {
  const port = () => syslogPort;

  it('passes a connector writing RFC 5424 + CEF over octet-counted TCP', async () => {
    await expectPass('syslog', await startSyslogConnector({ token: TOKEN, host: '127.0.0.1', port: port() }));
  }, 90_000);

  it('fails one that gives every event the same CEF severity, naming severity', async () => {
    await expectFail('syslog', await startSyslogConnector({ token: TOKEN, host: '127.0.0.1', port: port(), fault: 'collapse-severity' }),
      'siem-severity', /^severity: every event collapsed to one severity \(5\)$/);
  }, 60_000);
});

describe('check --through http', () => {
  it('passes a connector posting Sentinel Logs Ingestion records (JSON arrays)', async () => {
    await expectPass('http', await startHttpConnector({ token: TOKEN, sinkUrl: sinkUrl(), bearer: SINK_TOKEN }));
  }, 90_000);

  it('fails one that posts each batch twice, naming the duplicated event types', async () => {
    await expectFail('http', await startHttpConnector({ token: TOKEN, sinkUrl: sinkUrl(), bearer: SINK_TOKEN, fault: 'post-twice' }),
      'siem-reached', /duplicated \(2 times\): [a-z0-9_]+ "/);
  }, 60_000);
});
