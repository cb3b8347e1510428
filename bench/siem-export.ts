// SIEM export: 100k stored deliveries (seeded straight through the store) exported by the real
// CLI as NDJSON (the baseline), OCSF, ECS, CEF and HEC, each to a file, wall time per run. The
// baseline runs first and last and its mean is the reference; each SIEM format's figure is its
// time over that (issue 13: <= 2x). Prints figures, never fails.
// Env: BENCH_SIEM_ROWS (default 100,000).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDatabase } from './lib/seed.ts';
import { envInt, heading, line, mib, num, record } from './lib/report.ts';

const ROWS = envInt('BENCH_SIEM_ROWS', 100_000);
const root = fileURLToPath(new URL('..', import.meta.url));

/** One `export` run in its own process; wall time from spawn to exit. */
function runExport(db: string, format: string, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/soveren-inspector.js', 'export', '--db', db, '--format', format, '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`export --format ${format} exited ${code}: ${stderr.slice(-300)}`))));
  });
}

export async function benchSiemExport(): Promise<void> {
  heading(`siem-export: ${num(ROWS)} stored deliveries exported by the CLI, each format against ndjson in the same run`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-siem-'));
  try {
    const db = join(dir, 'seeded.db');
    const seeded = seedDatabase(db, ROWS, { spanMs: 24 * 3600_000 });
    line('seeded', `${num(seeded.rows)} rows in ${(seeded.ms / 1000).toFixed(1)} s`);
    const times = new Map<string, number>();
    const runs = ['ndjson', 'ocsf', 'ecs', 'cef', 'hec', 'ndjson'];
    const baseline: number[] = [];
    for (const format of runs) {
      const out = join(dir, `export.${format}`);
      const ms = await runExport(db, format, out);
      if (format === 'ndjson') baseline.push(ms);
      else times.set(format, ms);
      line(`export --format ${format}`, `${(ms / 1000).toFixed(2)} s, ${mib(statSync(out).size)}`);
    }
    const reference = baseline.reduce((a, b) => a + b, 0) / baseline.length;
    line('ndjson reference (mean of first and last)', `${(reference / 1000).toFixed(2)} s`);
    for (const [format, ms] of times) {
      const ratio = ms / reference;
      line(`${format} / ndjson`, `${ratio.toFixed(2)}x`);
      record({ bench: 'siem-export', metric: `export ${num(ROWS)} as ${format} vs ndjson`, value: `${ratio.toFixed(2)}x (${(ms / 1000).toFixed(1)} s vs ${(reference / 1000).toFixed(1)} s)`, target: '<= 2x', met: ratio <= 2 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSiemExport();
