// Runs `serve` as a real child process (so crashes, RSS and terminal output are
// observable) for the hardening and durability suites.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnCli } from './cli.ts';
import { waitUntil } from './wait.ts';

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
  const proc = spawnCli(['serve', '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('latin1').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('latin1').on('data', (d: string) => (err += d));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  let ended = false;
  void exited.then(() => (ended = true));
  await waitUntil(() => ended || /^ui: \S+/m.test(out), { timeoutMs: 15_000, what: 'serve to print its ui: line' });
  if (!/^ui: \S+/m.test(out)) throw new Error(`serve did not start:\n${out}\n${err}`);
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

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

