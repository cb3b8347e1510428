// A real rsyslog daemon for tests (Debian's /usr/sbin/rsyslogd): imtcp on a free port (port 0,
// read back from listenPortFileName), imudp on a free port, every message written by omfile as
// one JSON line of the fields rsyslog parsed (RFC 5424 header, structured data, MSG). Own work
// directory and pid file; stop() ends the daemon and removes the directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RSYSLOGD = '/usr/sbin/rsyslogd';

/** One message as rsyslog parsed it. */
export interface SyslogRecord {
  facility: string;
  severity: string;
  protocolVersion: string;
  timestamp: string;
  hostname: string;
  appName: string;
  procid: string;
  msgid: string;
  structuredData: string;
  msg: string;
  input: string;
}

export interface Rsyslog {
  tcpPort: number;
  udpPort: number;
  outputFile: string;
  /** Every record written so far (probes excluded). */
  records(): SyslogRecord[];
  /** Resolves when `predicate` holds over the records; rejects after `timeoutMs`. */
  waitFor(predicate: (records: SyslogRecord[]) => boolean, timeoutMs?: number): Promise<SyslogRecord[]>;
  stop(): Promise<void>;
}

const PROBE = 'rsyslog-helper-probe';

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs: number, tick?: () => void): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`rsyslog: timed out waiting for ${what}`);
    tick?.();
    await new Promise((r) => setTimeout(r, 25));
  }
}

const FIELDS: [string, string][] = [
  ['facility', 'syslogfacility'], ['severity', 'syslogseverity'], ['protocolVersion', 'protocol-version'],
  ['timestamp', 'timereported:::date-rfc3339'], ['hostname', 'hostname'], ['appName', 'app-name'], ['procid', 'procid'],
  ['msgid', 'msgid'], ['structuredData', 'structured-data'], ['msg', 'msg'], ['input', 'inputname'],
];

export async function startRsyslog(): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'rsyslog-test-'));
  await mkdir(join(dir, 'work'));
  const portFile = join(dir, 'tcp.port');
  const outputFile = join(dir, 'out.jsonl');
  const udpPort = await freeUdpPort();
  const props = FIELDS.map(([out, name]) => {
    const [prop, , , dateFormat] = name.split(':');
    return `  property(outname="${out}" name="${prop}" format="jsonf"${dateFormat ? ` dateFormat="${dateFormat.replace('date-', '')}"` : ''})`;
  }).join('\n');
  writeFileSync(join(dir, 'rsyslog.conf'), `
global(workDirectory="${join(dir, 'work')}" maxMessageSize="256k" net.enableDNS="off")
module(load="imtcp")
module(load="imudp")
template(name="fields" type="list" option.jsonf="on") {
${props}
}
ruleset(name="toFile") { action(type="omfile" file="${outputFile}" template="fields") }
input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${portFile}" ruleset="toFile" name="tcp")
input(type="imudp" port="${udpPort}" address="127.0.0.1" ruleset="toFile" name="udp")
`);
  const child: ChildProcess = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dead = false;
  void exited.then(() => { dead = true; });

  const readAll = (): SyslogRecord[] => (existsSync(outputFile) ? readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SyslogRecord) : []);
  const records = () => readAll().filter((r) => !r.msg.includes(PROBE));
  const stop = async () => {
    if (!dead) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tcpPort = await until('the TCP port file', () => {
      if (dead) throw new Error(`rsyslogd exited: ${stderr.trim().slice(0, 500)}`);
      const text = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
      return /^\d+$/.test(text) ? Number(text) : undefined;
    }, 10_000);
    // UDP has no readiness signal: send probes until one is written.
    const probe = createSocket('udp4');
    try {
      await until('the UDP listener', () => (readAll().some((r) => r.msg.includes(PROBE)) ? true : undefined), 10_000,
        () => probe.send(`<134>1 - - probe - - - ${PROBE}`, udpPort, '127.0.0.1'));
    } finally {
      probe.close();
    }
    return {
      tcpPort, udpPort, outputFile, records, stop,
      waitFor: (predicate, timeoutMs = 10_000) => until('the expected messages', () => {
        const r = records();
        return predicate(r) ? r : undefined;
      }, timeoutMs),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
