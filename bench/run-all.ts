// `npm run bench`: every benchmark in sequence, each in its own process (so memory and
// CPU figures are its own), then one summary table. Figures are ratios or latencies
// measured in this run on this machine; nothing here fails. The million-row database is
// seeded once and shared by the query and footprint benchmarks.
// Env: BENCH_ONLY=ingest,query,... to run some; every bench's own BENCH_* sizes apply.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SummaryRow } from './lib/report.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

interface Bench {
  name: string;
  file: string;
  /** Seconds before it is stopped (reported as not finished). */
  limit: number;
  /** Turns printed lines into summary rows (for a bench that does not write the summary file). */
  parse?: (output: string) => SummaryRow[];
}

/** ui-scale.ts (the UI's own bench) prints "label   value ms" lines; the targets are issue 7's. */
function parseUiScale(output: string): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const first = /first rendered list[^\n]*?\s(\d+) ms/.exec(output);
  rows.push(first
    ? { bench: 'ui-scale', metric: 'first rendered list, 100k stored', value: `${first[1]} ms`, target: '<= 1 s', met: Number(first[1]) <= 1000 }
    : { bench: 'ui-scale', metric: 'first rendered list, 100k stored', value: 'not measured', target: '<= 1 s', met: null });
  const filters = [...output.matchAll(/filter: ([^\n]*?)\s{2,}(\d+) ms/g)].map((m) => ({ what: m[1]!.trim(), ms: Number(m[2]) }));
  if (filters.length) {
    const worst = filters.reduce((a, b) => (b.ms > a.ms ? b : a));
    rows.push({ bench: 'ui-scale', metric: `apply a filter (worst of ${filters.length}: ${worst.what})`, value: `${worst.ms} ms`, target: '<= 200 ms', met: worst.ms <= 200 });
  } else {
    rows.push({ bench: 'ui-scale', metric: 'apply a filter', value: 'not measured', target: '<= 200 ms', met: null });
  }
  return rows;
}

const BENCHES: Bench[] = [
  { name: 'ingest', file: 'ingest.ts', limit: 150 },
  { name: 'receive-to-screen', file: 'receive-to-screen.ts', limit: 120 },
  { name: 'query', file: 'query.ts', limit: 240 },
  { name: 'footprint', file: 'footprint.ts', limit: 180 },
  { name: 'ui-scale', file: 'ui-scale.ts', limit: 180, parse: parseUiScale },
  { name: 'siem-forward', file: 'siem-forward.ts', limit: 300 },
  { name: 'sink-ingest', file: 'sink-ingest.ts', limit: 240 },
  { name: 'siem-export', file: 'siem-export.ts', limit: 600 },
  { name: 'reliability', file: 'reliability.ts', limit: 240 },
  { name: 'startup', file: 'startup.ts', limit: 240 },
];

function run(bench: Bench, env: NodeJS.ProcessEnv): Promise<{ output: string; finished: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, bench.file)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => {
      console.log(`\n  ${bench.name} did not finish in ${bench.limit} s; stopped`);
      child.kill('SIGKILL');
    }, bench.limit * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, finished: code === 0 });
    });
  });
}

function table(rows: SummaryRow[]): string {
  const cells = rows.map((r) => [r.bench, r.metric, r.value, r.target, r.met === null ? '-' : r.met ? 'yes' : 'NO']);
  const head = ['bench', 'metric', 'value', 'target', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmt(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(fmt)].join('\n');
}

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-'));
const summary = join(dir, 'summary.ndjson');
const env = { ...process.env, BENCH_SUMMARY_FILE: summary, BENCH_SEEDED_DB: join(dir, 'seeded.db') };
const started = performance.now();
const rows: SummaryRow[] = [];
try {
  console.log(`soveren-inspector benchmarks (node ${process.version}, ${(await import('node:os')).cpus().length} CPUs); figures are from this run only`);
  for (const bench of BENCHES) {
    if (only && !only.includes(bench.name)) continue;
    const t = performance.now();
    const { output, finished } = await run(bench, env);
    if (bench.parse) rows.push(...bench.parse(output));
    if (!finished) rows.push({ bench: bench.name, metric: 'did not finish', value: '-', target: '-', met: null });
    console.log(`  (${bench.name}: ${((performance.now() - t) / 1000).toFixed(0)} s)`);
  }
  if (existsSync(summary)) {
    const recorded = readFileSync(summary, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SummaryRow);
    // Keep the benches' order: rows written to the file come first for each bench.
    const order = BENCHES.map((b) => b.name);
    rows.push(...recorded);
    rows.sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));
  }
  console.log(`\n== summary (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  console.log(table(rows));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
