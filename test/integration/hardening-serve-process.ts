// Test support for the hardening and durability suites: runs `serve` as a real child
// process (so crashes, RSS and terminal output are observable) and speaks raw HTTP bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/soveren-inspector.js', import.meta.url));

export interface ServeProcess {
  proc: ChildProcess;
  receiverUrl: string;
  uiUrl: string;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Resident set size now, and its peak, in bytes (Linux /proc). */
  memory(): { rss: number; peak: number };
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'soveren-hardening-')), 'test.db');
}

/** Start `serve` on port 0 and wait for its `receiver:` and `ui:` lines. */
export async function spawnServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('latin1').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('latin1').on('data', (d: string) => (err += d));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  const deadline = Date.now() + 15_000;
  let ended = false;
  void exited.then(() => (ended = true));
  while (!/^ui: \S+/m.test(out)) {
    if (ended || Date.now() > deadline) throw new Error(`serve did not start:\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const field = (name: string) => new RegExp(`^${name}: (\\S+)`, 'm').exec(out)![1]!;
  const status = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))![1]) * 1024;
  return {
    proc,
    receiverUrl: field('receiver'),
    uiUrl: field('ui'),
    stdout: () => out,
    stderr: () => err,
    exited,
    memory: () => ({ rss: status('VmRSS'), peak: status('VmHWM') }),
    async stop(signal = 'SIGTERM') {
      if (!ended) proc.kill(signal);
      return exited;
    },
  };
}

export interface RawResponse {
  /** Status code of the first response, or 0 when none arrived. */
  status: number;
  head: string;
  body: string;
  /** Whole bytes received, latin1. */
  text: string;
}

/** Write exact request bytes to 127.0.0.1:port and read until the peer closes (or the time limit). */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 2000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: status ? Number(status[1]) : 0, head, body: split >= 0 ? text.slice(split + 4) : '', text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
      // An upgrade answer never ends by itself: a full head is enough; so is a whole body.
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split));
      if (/^HTTP\/1\.1 101 /.test(text) || (length && Buffer.byteLength(text.slice(split + 4), 'latin1') >= Number(length[1]))) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
  });
}

/** The bytes of a WebSocket upgrade request, with extra header lines as given. */
export function upgradeRequest(path: string, headers: string[]): string {
  return [`GET ${path} HTTP/1.1`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', ...headers, '', ''].join('\r\n');
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (node:http lets us set Host, Origin, Cookie). */
export function httpRequest(method: string, url: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
