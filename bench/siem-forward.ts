// SIEM forwarding vs the receiver's latency: the same inspector takes a steady stream of
// signed Soveren events with live forwarding off, then forwarding every delivery as ECS into
// an Elasticsearch _bulk endpoint, then as CEF over syslog/TCP (switched at run time through
// PUT /api/forwarding, as the UI does). Rounds alternate in one run; the figure is each
// forwarding round's receiver p99 over the off rounds' p99. Forwarding runs after the
// commit and off the answer's path, so it should add nothing. Prints figures, never fails.
// Env: BENCH_SIEM_SECONDS (per round, default 5), BENCH_SIEM_PAIRS (default 2),
// BENCH_SIEM_RATE (requests/s, default 300), BENCH_SIEM_CONNECTIONS (default 10).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForwardingState } from '../server/shared/protocol.ts';
import { startChild, type Child } from './lib/child.ts';
import { BENCH_TOKEN, signedBodies } from './lib/events.ts';
import { postRequests, runLoad, type LoadResult } from './lib/load.ts';
import { envInt, heading, line, ms, num, record, sleep, summarize } from './lib/report.ts';

const SECONDS = envInt('BENCH_SIEM_SECONDS', 5);
const PAIRS = envInt('BENCH_SIEM_PAIRS', 2);
const RATE = envInt('BENCH_SIEM_RATE', 300);
const CONNECTIONS = envInt('BENCH_SIEM_CONNECTIONS', 10);
const PER_CONNECTION = 200;

type Mode = 'off' | 'ecs' | 'cef';

export async function benchSiemForward(): Promise<void> {
  heading(`siem-forward: ${RATE} req/s over ${CONNECTIONS} connections, ${PAIRS} x 3 rounds of ${SECONDS} s (off, ECS to Elasticsearch, CEF to syslog/TCP)`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-siem-'));
  const requests = postRequests(signedBodies(CONNECTIONS * PER_CONNECTION));
  const requestsFor = (i: number) => requests.slice((i % CONNECTIONS) * PER_CONNECTION, ((i % CONNECTIONS) + 1) * PER_CONNECTION).map((r) => ({ ...r }));
  const children: Child<unknown>[] = [];
  try {
    const sinks = await startChild<{ elasticUrl: string; syslogPort: number }>('servers/siem-sinks.ts');
    children.push(sinks);
    const inspector = await startChild<{ receiverUrl: string; uiUrl: string }>('servers/inspector.ts', [join(dir, 'siem.db'), '100000', BENCH_TOKEN]);
    children.push(inspector);
    const targets: Record<Exclude<Mode, 'off'>, string> = {
      ecs: `elastic+${sinks.ready.elasticUrl}/soveren-bench`,
      cef: `syslog+tcp://127.0.0.1:${sinks.ready.syslogPort}`,
    };
    const forwarding = async (body: Record<string, unknown>): Promise<ForwardingState> => {
      const res = await fetch(new URL('/api/forwarding', inspector.ready.uiUrl), {
        method: body.targets === undefined ? 'GET' : 'PUT',
        headers: { 'content-type': 'application/json', origin: new URL(inspector.ready.uiUrl).origin },
        ...(body.targets !== undefined && { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`/api/forwarding answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as ForwardingState;
    };
    const run = (durationS: number) => runLoad({ url: inspector.ready.receiverUrl, connections: CONNECTIONS, durationS, overallRate: RATE, requestsFor });
    await run(2); // warm-up: JIT, SQLite page cache, TCP

    const rounds: Record<Mode, LoadResult[]> = { off: [], ecs: [], cef: [] };
    const kept = { forwarded: 0, acked: 0, failed: 0, dropped: 0 };
    const order: Mode[] = Array.from({ length: PAIRS }, (_, i) => (i % 2 === 0 ? ['off', 'ecs', 'cef'] : ['cef', 'ecs', 'off']) as Mode[]).flat();
    for (const mode of order) {
      const state = await forwarding(mode === 'off' ? { targets: [] } : { targets: [targets[mode]], format: mode });
      // A target seen in an earlier round keeps its counters: count from here.
      const base = state.targets[0] ?? { forwarded: 0, failed: 0, dropped: 0 };
      const r = await run(SECONDS);
      rounds[mode].push(r);
      let note = '';
      if (mode !== 'off') {
        // Forwarding keeps up: wait until every acknowledged delivery was forwarded (or counted failed/dropped).
        const deadline = Date.now() + 30_000;
        const since = async () => {
          const now = (await forwarding({})).targets[0]!;
          return { forwarded: now.forwarded - base.forwarded, failed: now.failed - base.failed, dropped: now.dropped - base.dropped };
        };
        let t = await since();
        while (t.forwarded + t.failed + t.dropped < r.acked.length && Date.now() < deadline) {
          await sleep(50);
          t = await since();
        }
        Object.assign(kept, { forwarded: kept.forwarded + Math.min(t.forwarded, r.acked.length), acked: kept.acked + r.acked.length, failed: kept.failed + t.failed, dropped: kept.dropped + t.dropped });
        note = `, forwarded ${num(t.forwarded)}/${num(r.acked.length)} (${t.failed} failed, ${t.dropped} dropped)`;
      }
      const lat = summarize(r.latencies);
      line(`round ${mode}`, `${num(r.rps)} req/s, p50 ${ms(lat.p50, 2)}, p99 ${ms(lat.p99, 2)}${note}`);
    }
    await forwarding({ targets: [] });

    const p99 = (mode: Mode) => summarize(rounds[mode].flatMap((r) => r.latencies)).p99;
    const off = p99('off');
    line('receiver p99, forwarding off', ms(off, 2));
    const counts = await sinks.ask<{ elastic: number; syslog: number }>('counts');
    line('received by the sinks', `${num(counts.elastic)} ECS documents, ${num(counts.syslog)} CEF syslog messages`);
    const all = kept.forwarded === kept.acked && kept.failed === 0 && kept.dropped === 0;
    line('every delivery forwarded', all ? 'yes' : `NO (${num(kept.forwarded)} of ${num(kept.acked)})`);
    for (const mode of ['ecs', 'cef'] as const) {
      const ratio = p99(mode) / off;
      line(`receiver p99, forwarding ${mode.toUpperCase()} / off`, `${ratio.toFixed(2)} (${ms(p99(mode), 2)} / ${ms(off, 2)})`);
      record({
        bench: 'siem-forward', metric: `receiver p99 forwarding ${mode.toUpperCase()} / off (${RATE} req/s)`,
        value: `${ratio.toFixed(2)} (${ms(p99(mode), 2)} / ${ms(off, 2)})`, target: '<= 1.10 and all forwarded', met: ratio <= 1.1 && all,
      });
    }
  } finally {
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSiemForward();
