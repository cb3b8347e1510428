// The CLI loads only what a command uses: --version and --help no server at all; `send` and
// `check` (without --through) neither the web stack (hono, ws, the sinks) nor SQLite;
// replay/export/import SQLite but no web stack. Measured on the built CLI (bin/ runs dist/)
// with a resolve hook logging every module.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'soveren-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packages and folders of ours a run loaded (node: builtins left out). */
function loaded(args: string[]): { status: number | null; modules: string[] } {
  const log = join(dir, `${args[0]}-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const env: NodeJS.ProcessEnv = { ...process.env, MODULE_LOG: log };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['--import', join(root, 'test/helpers/record-modules.mjs'), join(root, 'bin/soveren-inspector.js'), ...args], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file://'));
  const names = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? /\/dist\/(server\/.+|ui)/.exec(u)?.[1] ?? u);
  return { status: r.status, modules: [...new Set(names)].sort() };
}

const WEB = ['hono', '@hono/node-server', 'ws', 'server/receiver/app.js', 'server/stream/hub.js', 'server/inspector.js', 'ui'];
const web = (modules: string[]) => modules.filter((m) => WEB.includes(m) || m.startsWith('server/api/'));

describe('lazy CLI', () => {
  it('--version and --help load the entry alone', () => {
    for (const flag of ['--version', '--help']) {
      const r = loaded([flag]);
      expect(r.status).toBe(0);
      expect(r.modules.filter((m) => !m.endsWith('/bin/soveren-inspector.js'))).toEqual(['server/config.js', 'server/dist.js', 'server/main.js', 'server/version.js']);
    }
  });

  it('send and check load neither the web stack nor SQLite', () => {
    // Port 9 (discard) is closed on loopback: the send fails fast, after loading all it needs.
    for (const args of [['send', '--to', 'http://127.0.0.1:9/', '--type', 'new_data_type', '--timeout', '2s'], ['check', 'http://127.0.0.1:9/', '--token', 't', '--only', 'signature', '--timeout', '2s']]) {
      const r = loaded(args);
      expect(r.status, args[0]).toBe(1);
      expect(r.modules, args[0]).toContain('server/sender/http.js');
      expect([...web(r.modules), ...r.modules.filter((m) => m === 'better-sqlite3' || m.startsWith('server/sink/'))], args[0]).toEqual([]);
    }
  });

  it('replay, export and import load SQLite but not the web stack', () => {
    const db = join(dir, 'lazy.db');
    const imported = loaded(['import', join(dir, 'empty.ndjson'), '--db', db]);
    for (const r of [imported, loaded(['export', '--db', db]), loaded(['replay', '--db', db, '--to', 'http://127.0.0.1:9/'])]) {
      expect(r.modules).toContain('better-sqlite3');
      expect(web(r.modules)).toEqual([]);
    }
  });
});
