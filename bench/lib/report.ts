// Figures for the console and for run-all's summary: percentiles, aligned lines, and a
// JSON summary file (BENCH_SUMMARY_FILE) that run-all reads back after each bench.
import { appendFileSync } from 'node:fs';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): { n: number; p50: number; p99: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN, mean };
}

export const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : 'n/a');
export const num = (v: number): string => Math.round(v).toLocaleString('en-US');
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function line(label: string, value: string): void {
  console.log(`  ${label.padEnd(46)} ${value}`);
}

export function heading(title: string): void {
  console.log(`\n== ${title}`);
}

/** One row of run-all's summary table: what was measured, the figure, the target, met or not. */
export interface SummaryRow {
  bench: string;
  metric: string;
  value: string;
  target: string;
  /** true/false against the target; null when there is no target or it was not measured. */
  met: boolean | null;
}

export function record(row: SummaryRow): void {
  const file = process.env.BENCH_SUMMARY_FILE;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
}

/** Integer setting from the environment (sizes scale down on slow machines, up for thorough runs). */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return Math.round(n);
}

export function sleep(msToWait: number): Promise<void> {
  return new Promise((r) => setTimeout(r, msToWait));
}
