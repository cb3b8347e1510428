// Scenarios about the edges of a delivery: user agents (noted only), a large event, and a
// burst of concurrent events with latency percentiles.
import type { CheckLatency } from '../common/protocol.ts';
import type { OutboundResult } from '../sender/http.ts';
import { EVENT_TYPES } from '../common/catalog.ts';
import { judgeAccepted, noteInfo } from './judge.ts';
import { eventBody, formatBytes, post, postSigned, soverenHeaders, type Scenario } from './scenario.ts';

function userAgentScenario(id: string, name: string, userAgent: string | null, what: string): Scenario {
  return {
    id, name, group: 'user-agent', required: false, expected: 'noted',
    async run(ctx) {
      const body = eventBody(ctx, 'new_internal_sender');
      const res = await post(ctx, body, soverenHeaders(ctx, body, { userAgent }));
      if (res.ok) return noteInfo(res, `accepted ${what}: the connector does not check the User-Agent; fine, the signature is what proves the sender`);
      if (res.status !== null && res.status < 500) {
        return noteInfo(res, `refused ${what} with ${res.status}: the connector requires User-Agent SoverenWebhook/1.0, which Soveren always sends`);
      }
      return noteInfo(res, `answered ${what} with ${res.status === null ? `nothing (${res.error})` : res.status}: refuse with a 4xx or accept it, an error makes the sender retry`);
    },
  };
}

export function createUserAgentScenarios(): Scenario[] {
  return [
    userAgentScenario('user-agent-wrong', 'wrong user-agent (curl/8.5.0), noted', 'curl/8.5.0', 'a signed delivery with User-Agent curl/8.5.0'),
    userAgentScenario('user-agent-missing', 'missing user-agent, noted', null, 'a signed delivery without a User-Agent'),
  ];
}

/**
 * A realistic event of exactly `size` bytes (when `size` exceeds the bare event): a rule
 * conflict whose `conflicting_assets` list is long, the way a big real event would be.
 */
export function padEvent(base: Buffer, size: number): Buffer {
  const event = JSON.parse(base.toString('utf8')) as { conflicting_assets?: { name: string; link: string }[] };
  const assets = [...(event.conflicting_assets ?? [])];
  let total = Buffer.byteLength(JSON.stringify({ ...event, conflicting_assets: assets }));
  // Bounded: each item adds more than 60 bytes, so this stops after size/60 rounds.
  for (let n = 1; n <= size; n++) {
    const item = { name: `Custom asset ${n}`, link: `https://app.soveren.io/settings/custom-assets/${n}` };
    const next = JSON.stringify(item).length + (assets.length > 0 ? 1 : 0); // plus the comma
    if (total + next > size) break;
    assets.push(item);
    total += next;
  }
  // Fill the last few bytes with spaces in the last name (ASCII: one byte each, no escaping).
  const last = assets[assets.length - 1];
  if (last && total < size) assets[assets.length - 1] = { ...last, name: last.name + ' '.repeat(size - total) };
  return Buffer.from(JSON.stringify({ ...event, conflicting_assets: assets }), 'utf8');
}

export function createLargeScenario(size: number): Scenario {
  const label = formatBytes(size);
  return {
    id: 'large-event', name: `large valid event (${label}) gets 2xx or 413, never 5xx or a hang`,
    group: 'large', required: true, expected: '2xx or 413',
    async run(ctx) {
      const body = padEvent(eventBody(ctx, 'custom_asset_rule_conflict'), size);
      return judgeAccepted(await postSigned(ctx, body), `a valid ${label} event`, {
        alsoPass: { status: 413, note: `refused with 413: the connector's body limit is below ${label}; fine if it holds Soveren's largest events` },
        refusedHint: `: answer 2xx, or 413 if ${label} is over the connector's body limit`,
      });
    },
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarizeLatency(durations: readonly number[]): CheckLatency {
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { count: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? 0) };
}

/** "12 timed out after 300 ms, 2 answered 503". */
function describeFailures(results: readonly OutboundResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r.ok) continue;
    const key = r.status !== null ? `answered ${r.status}` : (r.error ?? 'failed');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
}

export function createBurstScenario(count: number): Scenario {
  return {
    id: 'burst-concurrent', name: `burst of ${count} concurrent valid events: all 2xx within the timeout`,
    group: 'burst', required: true, expected: `${count}/${count} 2xx`,
    async run(ctx) {
      const bodies = Array.from({ length: count }, (_, i) => eventBody(ctx, EVENT_TYPES[i % EVENT_TYPES.length]!));
      const results = await Promise.all(bodies.map((b) => postSigned(ctx, b)));
      const ok = results.filter((r) => r.ok).length;
      const latency = summarizeLatency(results.map((r) => r.durationMs));
      const verdict = { got: `${ok}/${count} 2xx`, durationMs: latency.maxMs, latency, answered: results.some((r) => r.status !== null) };
      if (ok === count) return { ...verdict, outcome: 'pass', reason: null };
      return { ...verdict, outcome: 'fail', reason: `${count - ok} of ${count} concurrent deliveries failed (${describeFailures(results)}):` +
        ` the connector cannot absorb a burst; Soveren sends events as they happen, and every delivery must be answered 2xx within ${ctx.settings.timeoutMs} ms` };
    },
  };
}
