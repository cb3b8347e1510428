// The package as a user gets it: `npm pack`, `npm install -g --prefix P` of the tarball in a
// clean directory, then P/bin/soveren-inspector serves the built UI, receives, stores,
// streams, sends and checks; it loads no tsx or esbuild (the install has neither), and a
// damaged build is one line and exit 2 at start-up.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import { VERSION } from '../../server/version.ts';
import { openStream } from '../helpers/stream.ts';
import { packAndInstall, serveInstalled, type InstalledPackage, type Running } from '../helpers/installed-package.ts';

const TOKEN = 'package-test-token';
let pkg: InstalledPackage;
let serve: Running;
let work: string;

beforeAll(async () => {
  pkg = packAndInstall();
  work = mkdtempSync(join(pkg.dir, 'cwd-'));
  serve = await serveInstalled(pkg.bin, work, pkg.env, ['--db', join(work, 'x.db'), '--token', TOKEN]);
}, 180_000);
afterAll(async () => {
  await serve?.stop();
  if (pkg) rmSync(pkg.dir, { recursive: true, force: true });
});

const run = (bin: string, args: string[]) => spawnSync(bin, args, { cwd: work, env: pkg.env, encoding: 'utf8', timeout: 60_000 });

describe('the tarball', () => {
  it('holds the launcher, the compiled server, the built UI, README and LICENSE, and no sources, tests, benches or databases', () => {
    const files = spawnSync('tar', ['-tzf', pkg.tarball], { encoding: 'utf8' }).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of ['bin/soveren-inspector.js', 'dist/server/main.js', 'dist/server/store/writer-thread.js', 'dist/server/store/checkpointer-thread.js', 'dist/ui/index.html', 'dist/build.json', 'README.md', 'LICENSE', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(test|bench|server|ui|scripts)\//.test(f) || /\.(ts|tsx|mts|db|sqlite)$/.test(f) || f.includes('tsx-thread'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual(files.filter((f) => /^dist\/ui\/assets\/.*\.js\.map$/.test(f)));
  });

  it('installs without tsx, esbuild or preact (dev-only), so nothing can load them', () => {
    const require = createRequire(join(pkg.packageDir, 'package.json'));
    for (const name of ['tsx', 'esbuild', 'preact', 'vite', 'typescript']) expect(() => require.resolve(name), name).toThrow();
    expect(readdirSync(join(pkg.packageDir, 'node_modules')).sort()).toEqual(expect.arrayContaining(['better-sqlite3', 'hono', 'ws']));
  });
});

describe('the installed command', () => {
  it('prints its version', () => {
    const r = run(pkg.bin, ['--version']);
    expect([r.status, r.stdout]).toEqual([0, `${VERSION}\n`]);
  });

  it('serves the built UI and its assets', async () => {
    const html = await (await fetch(serve.uiUrl)).text();
    expect(html).toContain('<div id="app">');
    const script = /<script[^>]+src="([^"]+)"/.exec(html)![1]!;
    const asset = await fetch(new URL(script, serve.uiUrl));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await asset.text()).length).toBeGreaterThan(1000);
  });

  it('receives a signed delivery, stores it, streams it and answers it through the API', async () => {
    const stream = await openStream(serve.uiUrl);
    const body = JSON.stringify({ title: 'from the tarball', category: 'Data at risk', event_type: 'anomaly_detected' });
    const res = await fetch(serve.receiverUrl + 'hook', {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(TOKEN, body) },
    });
    expect(res.status).toBe(200);
    await stream.waitFor((m) => m.some((x) => x.type === 'delivery' && x.delivery.title === 'from the tarball'));
    await stream.close();
    const { items } = (await (await fetch(serve.uiUrl + 'api/deliveries?q=tarball')).json()) as { items: { id: number }[] };
    expect(items).toHaveLength(1);
    const detail = (await (await fetch(`${serve.uiUrl}api/deliveries/${items[0]!.id}`)).json()) as DeliveryDetail;
    expect([detail.signature, detail.path, detail.bodyText]).toEqual(['valid', '/hook', body]);
  });

  it('sends test events and checks a connector (here: its own receiver)', async () => {
    const sent = run(pkg.bin, ['send', '--to', serve.receiverUrl, '--token', TOKEN, '--type', 'policy_violation', '--seed', '7']);
    expect(sent.status, sent.stderr).toBe(0);
    const { items } = (await (await fetch(serve.uiUrl + 'api/deliveries?q=event_type:policy_violation')).json()) as { items: { signature: string }[] };
    expect(items.map((d) => d.signature)).toEqual(['valid']);
    const checked = run(pkg.bin, ['check', serve.receiverUrl, '--token', TOKEN, '--only', 'signature']);
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
  });

  it('runs no child process and maps no tsx or esbuild file while it serves', () => {
    const pid = serve.proc.pid!;
    const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(pid);
      } catch {
        return false; // ended meanwhile
      }
    });
    expect(children).toEqual([]);
    const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    expect(maps).toContain('better_sqlite3.node'); // the maps are the right ones: the driver is there
    expect(maps).not.toMatch(/tsx|esbuild/);
  });
});

describe('a damaged build', () => {
  /** A copy of the installed package with `remove` deleted, run with `args`. */
  function runDamaged(remove: string, args: string[]) {
    const copy = join(mkdtempSync(join(pkg.dir, 'damaged-')), 'soveren-inspector');
    cpSync(pkg.packageDir, copy, { recursive: true });
    rmSync(join(copy, remove));
    return run(process.execPath, [join(copy, 'bin/soveren-inspector.js'), ...args]);
  }
  const serveArgs = ['serve', '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', '--db', 'damaged.db'];

  it('refuses to serve without a UI asset: one line naming it and how to rebuild, exit 2', () => {
    const asset = readdirSync(join(pkg.packageDir, 'dist/ui/assets')).find((f) => f.endsWith('.css'))!;
    const r = runDamaged(`dist/ui/assets/${asset}`, serveArgs);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^soveren-inspector: the build is incomplete: \\S+/dist/ui/assets/${asset.replace('.', '\\.')} is missing; rebuild with "npm run build".*\\n$`));
    expect(r.stdout).toBe('');
  });

  it('says the same for a missing server module, for serve and for a command', () => {
    for (const [remove, args] of [['dist/server/main.js', ['--version']], ['dist/server/commands/send.js', ['send', '--to', 'http://127.0.0.1:9/']]] as const) {
      const r = runDamaged(remove, [...args]);
      expect(r.status, remove).toBe(2);
      expect(r.stderr, remove).toMatch(new RegExp(`^soveren-inspector: the build is incomplete: \\S+/${remove} is missing; rebuild .*\\n$`));
    }
    expect(existsSync(join(pkg.packageDir, 'dist/server/main.js'))).toBe(true); // only the copies were damaged
  });
});
