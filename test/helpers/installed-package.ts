// Packs this clone with `npm pack` and installs the tarball with `npm install -g --prefix`
// into a temporary prefix, as a user handed the tarball would. better-sqlite3 installs its
// native binary through prebuild-install, which looks for a local prebuild before it
// downloads (npm_config_better_sqlite3_local_prebuilds): the binary this clone already
// built is offered there, so the install neither compiles nor downloads it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyClone, ROOT } from './clone-copy.ts';


export interface InstalledPackage {
  dir: string;
  tarball: string;
  /** The installed command, P/bin/soveren-inspector. */
  bin: string;
  /** The installed package folder, P/lib/node_modules/soveren-inspector. */
  packageDir: string;
  /** Environment for the installed command: this Node on PATH, no NODE_OPTIONS. */
  env: NodeJS.ProcessEnv;
}

/** A prebuild-install tarball of the binary this clone compiled, named as prebuild-install looks it up. */
function offerLocalPrebuild(dir: string): string {
  const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
  const stage = join(dir, 'stage');
  mkdirSync(join(stage, 'build/Release'), { recursive: true });
  cpSync(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(stage, 'build/Release/better_sqlite3.node'));
  const prebuilds = join(dir, 'prebuilds');
  mkdirSync(prebuilds);
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', join(prebuilds, name), '-C', stage, 'build']);
  return prebuilds;
}

export function packAndInstall(): InstalledPackage {
  const dir = mkdtempSync(join(tmpdir(), 'soveren-package-'));
  const cleanEnv = { ...process.env };
  delete cleanEnv.NODE_OPTIONS;
  // Packed from a copy of the clone: prepack (scripts/build-if-stale.mjs) finds its dist/
  // current, or rebuilds the copy's when a source was edited since the suite's build.
  const clone = copyClone();
  const packed = execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: clone, env: cleanEnv, encoding: 'utf8' });
  rmSync(clone, { recursive: true, force: true });
  const tarball = join(dir, packed.trim().split('\n').at(-1)!);
  const prefix = join(dir, 'prefix');
  // --prefer-offline: package tarballs come from the npm cache `npm ci` filled.
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', tarball], {
    cwd: dir,
    env: { ...cleanEnv, npm_config_better_sqlite3_local_prebuilds: offerLocalPrebuild(dir) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return {
    dir,
    tarball,
    bin: join(prefix, 'bin/soveren-inspector'),
    packageDir: join(prefix, 'lib/node_modules/soveren-inspector'),
    env: { ...cleanEnv, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
  };
}

export interface Running {
  proc: ChildProcess;
  receiverUrl: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** Run `<bin> serve` on free ports from `cwd` and wait for its `receiver:` and `ui:` lines. */
export async function serveInstalled(bin: string, cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<Running> {
  const proc = spawn(bin, ['serve', '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', '--quiet', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => (/^ui: \S+/m.test(out) ? resolve() : undefined);
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}\n${err}`)));
  });
  const field = (name: string) => new RegExp(`^${name}: (\\S+)`, 'm').exec(out)![1]!;
  return {
    proc,
    receiverUrl: field('receiver'),
    uiUrl: field('ui'),
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
