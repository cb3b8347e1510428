// A real rsyslog daemon (Debian's /usr/sbin/rsyslogd) that forwards to a syslog sink with
// omfwd: one imtcp input per way of forwarding (TCP octet-counted, TCP line-feed framed,
// UDP), each on a free port read back from listenPortFileName. Own config, work directory
// and pid file; stop() ends the daemon and removes the directory.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ForwardWay = 'octet' | 'lf' | 'udp';

export interface RsyslogForwarder {
  /** Port of the imtcp input whose messages rsyslog forwards that way. */
  inputPort: Record<ForwardWay, number>;
  stop(): Promise<void>;
}

const ACTIONS: Record<ForwardWay, string> = {
  octet: 'protocol="tcp" TCP_Framing="octet-counted"',
  lf: 'protocol="tcp" TCP_Framing="traditional"',
  udp: 'protocol="udp"',
};

export async function startRsyslogForwarder(target: { host: string; port: number }): Promise<RsyslogForwarder> {
  const dir = mkdtempSync(join(tmpdir(), 'rsyslog-forward-'));
  mkdirSync(join(dir, 'work'));
  const ways = Object.keys(ACTIONS) as ForwardWay[];
  const portFile = (way: ForwardWay) => join(dir, `${way}.port`);
  writeFileSync(join(dir, 'rsyslog.conf'), [
    `global(workDirectory="${join(dir, 'work')}" net.enableDNS="off")`,
    'module(load="imtcp")',
    ...ways.map((way) => `input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="${portFile(way)}" ruleset="${way}")`),
    // RFC 5424 on the wire (rsyslog's SyslogProtocol23 template); retries stay short in a test.
    ...ways.map((way) => `ruleset(name="${way}") { action(type="omfwd" target="${target.host}" port="${target.port}" ${ACTIONS[way]} template="RSYSLOG_SyslogProtocol23Format" action.resumeInterval="1") }`),
  ].join('\n') + '\n');
  const child = spawn('/usr/sbin/rsyslogd', ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let dead = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => { dead = true; resolve(); }));
  const stop = async () => {
    if (!dead) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const inputPort = {} as Record<ForwardWay, number>;
  const deadline = Date.now() + 15_000;
  try {
    for (const way of ways) {
      for (;;) {
        if (dead) throw new Error(`rsyslogd exited: ${stderr.trim().slice(0, 500)}`);
        const text = existsSync(portFile(way)) ? readFileSync(portFile(way), 'utf8').trim() : '';
        if (/^\d+$/.test(text)) {
          inputPort[way] = Number(text);
          break;
        }
        if (Date.now() > deadline) throw new Error(`rsyslogd wrote no port for its ${way} input: ${stderr.trim().slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { inputPort, stop };
}
