// `check --through hec` as a user runs it: the check starts the HEC sink itself, the
// connector writes into it, and the SIEM results follow. The reference connector passes;
// connectors that drop an event type, ship forged deliveries, collapse severity or write
// each event twice fail with the reason naming the type, the forgery or the field.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnector, toHecEvent, verify } from '../../examples/connector/connector.mjs';
import { freePort, runThroughCheck, siemResult } from '../helpers/check-through.ts';

const TOKEN = 'whsec-through-check-5e1f';
const HEC_TOKEN = 'hec-through-check';
let sinkPort: number;

type Fault = 'drop-anomaly_detected' | 'ship-forged' | 'collapse-severity' | 'write-twice';

/** A connector with one fault, otherwise the reference connector's behaviour. */
async function faultyConnector(fault: Fault): Promise<{ url: string; close(): Promise<void> }> {
  const hec = `http://127.0.0.1:${sinkPort}/services/collector/event`;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const ok = verify(body, req.headers['x-soveren-signature'], TOKEN);
      if (!ok && fault !== 'ship-forged') return res.writeHead(401).end();
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return res.writeHead(400).end();
      }
      if (event === null || typeof event !== 'object' || Array.isArray(event)) return res.writeHead(400).end();
      if (!(fault === 'drop-anomaly_detected' && event.event_type === 'anomaly_detected')) {
        const written = fault === 'collapse-severity' ? { ...event, sensitivity: undefined, severity: 5 } : event;
        const envelope = toHecEvent(written, 'faulty');
        if (fault === 'collapse-severity') (envelope.fields as Record<string, unknown>).sensitivity = undefined;
        const copies = fault === 'write-twice' ? 2 : 1;
        const payload = JSON.stringify(envelope).repeat(copies);
        await fetch(hec, { method: 'POST', headers: { authorization: `Splunk ${HEC_TOKEN}` }, body: payload });
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

const runCheck = (url: string, only?: string) => runThroughCheck({ url, token: TOKEN, through: 'hec', sinkPort, syslogPort: 0, sinkToken: HEC_TOKEN, ...(only && { only }) });
const siem = siemResult;

beforeAll(async () => {
  sinkPort = await freePort();
});

describe('check --through hec', () => {
  let reference: Awaited<ReturnType<typeof startConnector>>;
  beforeAll(async () => {
    reference = await startConnector({ port: 0, token: TOKEN, hecUrl: `http://127.0.0.1:${sinkPort}`, hecToken: HEC_TOKEN });
  });
  afterAll(() => reference?.close());

  it('passes the reference connector: every event once, mapped, no forgery, with latency', async () => {
    const { code, report, stderr } = await runCheck(reference.url);
    expect(stderr).toContain(`sink: http://127.0.0.1:${sinkPort}/`);
    for (const id of ['siem-reached', 'siem-forged', 'siem-mapped', 'siem-severity']) expect([id, siem(report, id).outcome, siem(report, id).reason]).toEqual([id, 'pass', null]);
    expect(siem(report, 'siem-reached').got).toMatch(/^(\d+)\/\1 arrived$/);
    expect(Number(/^(\d+)/.exec(siem(report, 'siem-reached').got)![1])).toBeGreaterThanOrEqual(29 + 4 + 20);
    expect(siem(report, 'siem-latency').latency!.count).toBeGreaterThan(50);
    expect(code).toBe(0);
  }, 90_000);

  it('fails connectors that drop a type, ship forged events, collapse severity or write twice', async () => {
    const cases: [Fault, string, string, RegExp][] = [
      ['drop-anomaly_detected', 'event_type,category', 'siem-reached', /lost: anomaly_detected "/],
      ['ship-forged', 'event_type-policy_violation,signature', 'siem-forged', /a forged event reached the SIEM/],
      ['collapse-severity', 'event_type,category', 'siem-severity', /severity/],
      ['write-twice', 'event_type-new_data_type,category-other', 'siem-reached', /duplicated \(2 times\): new_data_type/],
    ];
    for (const [fault, only, id, reason] of cases) {
      const connector = await faultyConnector(fault);
      try {
        const { code, report } = await runCheck(connector.url, only);
        const r = siem(report, id);
        expect([fault, r.outcome]).toEqual([fault, 'fail']);
        expect(r.reason).toMatch(reason);
        expect(code).toBe(1);
      } finally {
        await connector.close();
      }
    }
  }, 150_000);
});
