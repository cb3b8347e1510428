// A forwarding target's health in words and a tone, the way Soveren shows its own webhook:
// healthy, failing (with the time left until Soveren's 15-minute mark), or failed past it.
// Failures are counted in deliveries; retries are a separate figure.
import type { ForwardingState, ForwardTargetHealth } from '../../server/common/protocol.ts';

export type HealthTone = 'ok' | 'warn' | 'err' | 'idle';

export interface HealthView {
  tone: HealthTone;
  label: string;
  detail: string;
}

export function describeDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minutes`;
  if (ms < 1000) return `${ms} ms`;
  return `${Math.round(ms / 1000)} s`;
}

/** ms until a failing target counts as failed (0 when past it), or null when it is not failing. */
export function timeUntilFailed(t: ForwardTargetHealth, failAfterMs: number, now: number): number | null {
  if (t.failingSince === null) return null;
  const since = Date.parse(t.failingSince);
  if (!Number.isFinite(since)) return null;
  return Math.max(0, since + failAfterMs - now);
}

/** "14 min", "40 s": a short time left, rounded up so "0 min" never shows while time is left. */
export function formatTimeLeft(ms: number): string {
  if (ms >= 60_000) return `${Math.ceil(ms / 60_000)} min`;
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

const deliveries = (n: number) => `${n} deliver${n === 1 ? 'y' : 'ies'}`;

export function describeForwardHealth(t: ForwardTargetHealth, failAfterMs: number, now = Date.now()): HealthView {
  const streak = `${deliveries(t.consecutiveFailures)} failed in a row`;
  if (t.failing) {
    return { tone: 'err', label: 'Failed', detail: `No successful delivery for ${describeDuration(failAfterMs)} (${streak}): Soveren would show this webhook as failed.` };
  }
  if (t.consecutiveFailures > 0) {
    const left = timeUntilFailed(t, failAfterMs, now);
    const when = left === null ? `after ${describeDuration(failAfterMs)} without a success` : left > 0 ? `in ${formatTimeLeft(left)} without a success` : 'any moment now';
    return { tone: 'warn', label: 'Failing', detail: `${streak}; Soveren would show it as failed ${when}.` };
  }
  if (t.lastSuccessAt === null) return { tone: 'idle', label: 'No deliveries yet', detail: 'Nothing forwarded to this target so far.' };
  return { tone: 'ok', label: 'Healthy', detail: 'The last delivery succeeded.' };
}

/** The worst tone over all targets, for the header indicator. */
export function overallTone(targets: readonly ForwardTargetHealth[], failAfterMs: number): HealthTone {
  const tones = targets.map((t) => describeForwardHealth(t, failAfterMs).tone);
  if (tones.includes('err')) return 'err';
  if (tones.includes('warn')) return 'warn';
  if (tones.includes('ok')) return 'ok';
  return 'idle';
}

export interface ForwardHeadline {
  tone: HealthTone | 'off';
  /** Words shown in the header button beside "Forwarding" (empty when all is well or idle). */
  words: string;
  title: string;
}

/** The header's forwarding state in words: "failed", "failing · 12 min left", "off", "no targets". */
export function forwardHeadline(f: ForwardingState | null, now = Date.now()): ForwardHeadline {
  if (!f) return { tone: 'idle', words: '', title: 'Live forwarding' };
  if (f.targets.length === 0) return { tone: 'idle', words: '', title: 'Live forwarding: no targets' };
  if (!f.enabled) return { tone: 'off', words: 'off', title: 'Live forwarding is off' };
  const failed = f.targets.filter((t) => t.failing);
  if (failed.length > 0) {
    return { tone: 'err', words: 'failed', title: `${failed.length} of ${f.targets.length} forward target${f.targets.length === 1 ? '' : 's'} failed: no success for ${describeDuration(f.failAfterMs)}` };
  }
  const failing = f.targets.filter((t) => t.consecutiveFailures > 0);
  if (failing.length > 0) {
    const lefts = failing.map((t) => timeUntilFailed(t, f.failAfterMs, now)).filter((ms): ms is number => ms !== null);
    const soonest = lefts.length ? Math.min(...lefts) : null;
    const left = soonest === null ? '' : ` · ${formatTimeLeft(soonest)} left`;
    return {
      tone: 'warn', words: `failing${left}`,
      title: `${failing.length} forward target${failing.length === 1 ? '' : 's'} failing; Soveren marks a webhook failed after ${describeDuration(f.failAfterMs)} without a success`,
    };
  }
  return { tone: overallTone(f.targets, f.failAfterMs), words: '', title: `Forwarding to ${f.targets.length} target${f.targets.length === 1 ? '' : 's'}` };
}
