// A forwarding target's health in words and a tone, the way Soveren shows its own webhook:
// healthy, retrying after failures, or "failed" after a long stretch without a success.
import type { ForwardTargetHealth } from '../../server/shared/protocol.ts';

export type HealthTone = 'ok' | 'warn' | 'err' | 'idle';

export interface HealthView {
  tone: HealthTone;
  label: string;
  detail: string;
}

export function describeDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.round(ms / 1000)} s`;
}

export function describeForwardHealth(t: ForwardTargetHealth, failAfterMs: number): HealthView {
  const failures = `${t.consecutiveFailures} consecutive failure${t.consecutiveFailures === 1 ? '' : 's'}`;
  if (t.failing) {
    return { tone: 'err', label: 'Failed', detail: `No successful delivery for ${describeDuration(failAfterMs)} (${failures}): Soveren would show this webhook as failed.` };
  }
  if (t.consecutiveFailures > 0) {
    return { tone: 'warn', label: 'Failing', detail: `${failures}; shown as failed after ${describeDuration(failAfterMs)} without a success.` };
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
