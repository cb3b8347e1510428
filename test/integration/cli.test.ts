// The CLI as a user runs it: --help, bad flags (exit 2, one line naming the flag), start-up
// lines with port 0, and a clean shutdown on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SERVE_OPTIONS } from '../../server/commands/serve.ts';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/soveren-inspector.js');
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });

describe('cli', () => {
  it('prints help for the tool and for serve', () => {
    const top = run(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Usage: soveren-inspector <command>/);
    expect(top.stdout).toMatch(/serve/);
    const serve = run(['serve', '--help']);
    expect(serve.status).toBe(0);
    for (const flag of ['--ui-port', '--receiver-port', '--host', '--receiver-host', '--db', '--token', '--max-body']) {
      expect(serve.stdout).toContain(flag);
    }
    expect(serve.stdout).toContain('SOVEREN_WEBHOOK_TOKEN');
  });

  it('documents every serve flag in the README configuration table', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const spec of SERVE_OPTIONS) expect(readme, spec.flag).toContain(`| \`--${spec.flag}\``);
  });

  const bad: [string[], RegExp][] = [
    [['serve', '--ui-port', 'abc'], /--ui-port takes a whole number/],
    [['serve', '--ui-port', '70000'], /--ui-port must be between 0 and 65535/],
    [['serve', '--max-body', 'lots'], /--max-body takes a size/],
    [['serve', '--durability', 'maybe'], /--durability must be one of normal, full/],
    [['serve', '--frobnicate'], /unknown option --frobnicate/],
    [['serve', '--db'], /--db needs a value/],
    [['launch'], /^soveren-inspector: unknown command "launch" \(commands: serve, send/],
    [['serv'], /unknown command "serv"; did you mean "serve"\?/],
  ];
  for (const [args, message] of bad) {
    it(`exits 2 with one line for: ${args.join(' ')}`, () => {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('reads flags from SOVEREN_INSPECTOR_* and names the flag when they are bad', () => {
    const r = run(['serve'], { SOVEREN_INSPECTOR_UI_PORT: 'x' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--ui-port/);
  });

  it('refuses a database newer than the code with one line naming --db', () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-cli-'));
    try {
      const file = join(dir, 'new.db');
      const raw = new Database(file);
      raw.pragma('user_version = 999');
      raw.close();
      const r = run(['serve', '--db', file, '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--db .*new\.db: database schema version 999 is newer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves on port 0, prints both URLs, shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'si-cli-'));
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--db', join(dir, 'a.db'), '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', '--token', 'sekret-token-value'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up lines: ${out}`)), 15_000);
        child.stdout.on('data', () => {
          if (/^syslog: /m.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const receiver = /^receiver: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      const ui = /^ui: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      const sink = /^sink: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      const syslog = /^syslog: 127\.0\.0\.1:(\d+) \(tcp, udp\)$/m.exec(out)?.[1];
      expect(receiver).toBeDefined();
      expect(ui).toBeDefined();
      expect(Number(syslog)).toBeGreaterThan(0);
      expect(await (await fetch(`${sink}services/collector/health`)).json()).toEqual({ text: 'HEC is healthy', code: 17 });
      const res = await fetch(receiver!, { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
      expect((await (await fetch(`${ui}api/health`)).json()).deliveries).toBe(1);
      const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(out).not.toContain('sekret-token-value');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
