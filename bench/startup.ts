// Start-up and idle cost of the package as users install it: packs this clone, installs the
// tarball into a temporary prefix (test/helpers/installed-package.ts), then measures, in
// alternating rounds against `node -e 0` in the same run: `soveren-inspector --version`;
// exec -> first delivery answered 2xx (empty database); RSS of the whole process 2 s after
// start with an empty database and no clients. Prints figures; never fails.
// Env: BENCH_STARTUP_ROUNDS (default 15), BENCH_STARTUP_RSS_RUNS (default 3).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall } from '../test/helpers/installed-package.ts';
import { heading, line, mib, ms, record, summarize } from './lib/report.ts';

const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 15);
const rssRuns = Number(process.env.BENCH_STARTUP_RSS_RUNS ?? 3);

heading('startup: pack, install the tarball into a temporary prefix');
let t = performance.now();
const pkg = packAndInstall();
line('npm pack + npm install -g --prefix', ms(performance.now() - t, 0));
const work = mkdtempSync(join(pkg.dir, 'bench-'));

/** Milliseconds from spawn to exit. */
function timeExit(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: work, env: pkg.env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} exited ${code}`))));
  });
}

/** Start serve on a fresh database; resolves once `receiver:` is printed, with the process. */
function startServe(db: string) {
  const child = spawn(pkg.bin, ['serve', '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', '--quiet', '--db', db], { cwd: work, env: pkg.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const receiver = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^receiver: (\S+)/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const stop = () => new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { child, receiver, stop };
}

async function firstDelivery(i: number): Promise<number> {
  const started = performance.now();
  const serve = startServe(join(work, `first-${i}.db`));
  const url = await serve.receiver;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"first","event_type":"discovery_complete"}' });
  await res.arrayBuffer();
  const elapsed = performance.now() - started;
  await serve.stop();
  if (res.status < 200 || res.status > 299) throw new Error(`first delivery answered ${res.status}`);
  return elapsed;
}

heading(`startup: ${rounds} alternating rounds`);
const base: number[] = [];
const version: number[] = [];
const first: number[] = [];
for (let i = 0; i < rounds; i++) {
  base.push(await timeExit(process.execPath, ['-e', '0']));
  version.push(await timeExit(pkg.bin, ['--version']));
  first.push(await firstDelivery(i));
}
const b = summarize(base).p50;
const v = summarize(version).p50;
const f = summarize(first).p50;
line('node -e 0, median', ms(b));
line('soveren-inspector --version, median', `${ms(v)} (${(v / b).toFixed(2)}x)`);
line('exec -> first delivery 2xx, median', `${ms(f)} (${(f / b).toFixed(2)}x)`);
record({ bench: 'startup', metric: '--version (installed tarball) vs node -e 0, medians', value: `${(v / b).toFixed(2)}x (${ms(v)} / ${ms(b)})`, target: '<= 2x', met: v / b <= 2 });
record({ bench: 'startup', metric: 'exec -> first delivery 2xx, empty db, vs node -e 0', value: `${(f / b).toFixed(2)}x (${ms(f)} / ${ms(b)})`, target: '<= 4x', met: f / b <= 4 });

heading(`startup: idle RSS 2 s after start (empty database, no clients), ${rssRuns} runs`);
const rss: number[] = [];
for (let i = 0; i < rssRuns; i++) {
  const started = performance.now();
  const serve = startServe(join(work, `idle-${i}.db`));
  await serve.receiver;
  await new Promise((r) => setTimeout(r, Math.max(0, 2000 - (performance.now() - started))));
  const status = readFileSync(`/proc/${serve.child.pid}/status`, 'utf8');
  const bytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
  const threads = readdirSync(`/proc/${serve.child.pid}/task`).length;
  rss.push(bytes);
  line(`run ${i + 1}`, `${mib(bytes)}, ${threads} threads`);
  await serve.stop();
}
const worst = Math.max(...rss);
line('idle RSS, worst run', mib(worst));
record({ bench: 'startup', metric: 'idle RSS 2 s after start, empty db, no clients (worst run)', value: mib(worst), target: '<= 80 MiB', met: worst <= 80 * 1024 * 1024 });

rmSync(pkg.dir, { recursive: true, force: true });
