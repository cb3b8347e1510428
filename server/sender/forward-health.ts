// Live forwarding's per-target health, as Soveren shows its own webhook: each delivery's
// outcome counted once however many tries it took, consecutive failures, and "failed"
// after `failAfterMs` without a success (15 minutes), said once in the log when it turns.
import type { ForwardTargetHealth, TransportFormat } from '../common/protocol.ts';
import type { TargetState } from './forward-targets.ts';
import type { OutboundResult } from './http.ts';
import { redactUrl } from './target-url.ts';
import { DEFAULT_FORMATS } from './transports/target.ts';

export interface ForwardHealthDeps {
  failAfterMs: number;
  now: () => number;
  log: (line: string) => void;
}

export function describeDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function createForwardHealth({ failAfterMs, now, log }: ForwardHealthDeps) {
  const isFailing = (t: TargetState) => t.failingSince !== null && now() - t.failingSince >= failAfterMs;

  /** One delivery's outcome (its last try). */
  function observe(t: TargetState, results: readonly OutboundResult[]): void {
    const r = results[results.length - 1]!;
    t.retries += results.length - 1;
    if (r.ok) {
      if (t.consecutiveFailures > 0) log(`forward to ${redactUrl(t.url)}: delivering again after ${t.consecutiveFailures} failed deliveries`);
      Object.assign(t, { lastSuccessAt: r.startedAt + r.durationMs, consecutiveFailures: 0, failingSince: null, announcedFailing: false, lastStatus: r.status });
      return;
    }
    Object.assign(t, { lastFailureAt: r.startedAt + r.durationMs, lastError: r.error, lastStatus: r.status });
    t.consecutiveFailures++;
    t.failingSince ??= results[0]!.startedAt;
    if (t.consecutiveFailures === 1) log(`forward to ${redactUrl(t.url)} failed: ${r.error ?? r.status}`);
    if (isFailing(t) && !t.announcedFailing) {
      t.announcedFailing = true;
      log(`forward to ${redactUrl(t.url)} FAILED: no success for ${describeDuration(failAfterMs)} (${t.consecutiveFailures} deliveries failed in a row)`);
    }
  }

  return {
    /** A delivery's tries are over (every try, in order): its health and counters. */
    settle(t: TargetState, results: readonly OutboundResult[]): void {
      if (results.length === 0) return;
      observe(t, results);
      if (results[results.length - 1]!.ok) t.forwarded++;
      else t.failed++;
    },
    /** The target as GET /api/forwarding shows it (its URL without user:password). */
    describe(t: TargetState): ForwardTargetHealth {
      return {
        url: redactUrl(t.url), format: (t.route?.render.format ?? DEFAULT_FORMATS.http) as TransportFormat, lastSuccessAt: iso(t.lastSuccessAt), lastFailureAt: iso(t.lastFailureAt),
        lastError: t.lastError, lastStatus: t.lastStatus, consecutiveFailures: t.consecutiveFailures, failingSince: iso(t.failingSince), failing: isFailing(t),
        queued: t.queue.length, inFlight: t.inFlight, forwarded: t.forwarded, failed: t.failed, retries: t.retries, dropped: t.dropped,
      };
    },
  };
}
