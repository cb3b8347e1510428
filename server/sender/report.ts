// Figures and terminal lines for the sender's commands: one line per request, latency
// percentiles and a summary. Everything that came from the network goes through
// sanitizeForTerminal (a target's error text or redirect Location is not trusted).
import { sanitizeForTerminal } from '../log.ts';

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Count per answer status; "error" for requests that got no answer. */
export function countStatuses(results: readonly { status: number | null }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === null ? 'error' : String(r.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export function formatStatuses(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(', ') || 'none';
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '-';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export interface RequestLine {
  index: number;
  total: number;
  status: number | null;
  durationMs: number;
  label: string;
  error: string | null;
  /** Shown after the label, e.g. "retry 2" or "refused as expected". */
  note?: string;
}

/** `[ 3/29] 200    4.2 ms  new_data_type` (error text after the label when there is one). */
export function formatRequestLine(r: RequestLine): string {
  const width = String(r.total).length;
  const status = r.status === null ? 'ERR' : String(r.status);
  const tail = [r.note, r.error].filter(Boolean).join(': ');
  const line = `[${String(r.index + 1).padStart(width)}/${r.total}] ${status.padEnd(3)} ${formatMs(r.durationMs).padStart(9)}  ${r.label}${tail ? `  ${tail}` : ''}`;
  return sanitizeForTerminal(line, 400);
}

export interface LatencySummary {
  p50: number | null;
  p99: number | null;
}

export function summarizeLatency(durations: readonly number[]): LatencySummary {
  return { p50: percentile(durations, 50), p99: percentile(durations, 99) };
}
