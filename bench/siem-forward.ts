// SIEM forwarding vs the receiver's latency: the same inspector takes a steady stream of
// signed Soveren events with live forwarding off, and while forwarding every delivery to one
// SIEM target in one format (switched at run time through PUT /api/forwarding, as the UI
// does): Splunk HEC (soveren, ocsf, ecs), Elasticsearch _bulk (ecs, ocsf), syslog over TCP
// (cef, soveren) and over UDP (cef). Every forwarding round sits beside an off round (order
// alternating), all in one run; the figure is each mode's receiver p99 over the off rounds'
// p99, and the spread is that ratio per cycle against the off rounds of the same cycle.
// Forwarding runs after the commit and off the answer's path, so it should add nothing.
// Prints figures, never fails.
// Env: BENCH_SIEM_SECONDS (per round, default 3), BENCH_SIEM_CYCLES (default 2),
// BENCH_SIEM_RATE (requests/s, default 300), BENCH_SIEM_CONNECTIONS (default 10),
// BENCH_SIEM_MODES (comma-separated subset, e.g. "hec:ocsf,syslog-tcp:cef").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForwardingState } from '../server/shared/protocol.ts';
import { startChild, type Child } from './lib/child.ts';
import { BENCH_TOKEN, signedBodies } from './lib/events.ts';
import { postRequests, runLoad, type LoadResult } from './lib/load.ts';
import { envInt, heading, line, ms, num, record, sleep, summarize } from './lib/report.ts';

const SECONDS = envInt('BENCH_SIEM_SECONDS', 3);
const CYCLES = envInt('BENCH_SIEM_CYCLES', envInt('BENCH_SIEM_PAIRS', 2));
const RATE = envInt('BENCH_SIEM_RATE', 300);
const CONNECTIONS = envInt('BENCH_SIEM_CONNECTIONS', 10);
const PER_CONNECTION = 200;
const ALL_MODES = ['hec:soveren', 'hec:ocsf', 'hec:ecs', 'elastic:ecs', 'elastic:ocsf', 'syslog-tcp:cef', 'syslog-tcp:soveren', 'syslog-udp:cef'];
const PICKED = process.env.BENCH_SIEM_MODES?.split(',').map((m) => m.trim()).filter((m) => ALL_MODES.includes(m)) ?? [];
const MODES = PICKED.length > 0 ? PICKED : ALL_MODES;

interface Sinks { hecUrl: string; hecToken: string; elasticUrl: string; syslogPort: number; udpPort: number }
interface Counts { hec: number; elastic: number; syslog: number; syslogConnections: number; udp: number }

export async function benchSiemForward(): Promise<void> {
  heading(`siem-forward: ${RATE} req/s over ${CONNECTIONS} connections, ${CYCLES} cycles of ${MODES.length} modes, each beside an off round of ${SECONDS} s`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-siem-'));
  const requests = postRequests(signedBodies(CONNECTIONS * PER_CONNECTION));
  const requestsFor = (i: number) => requests.slice((i % CONNECTIONS) * PER_CONNECTION, ((i % CONNECTIONS) + 1) * PER_CONNECTION).map((r) => ({ ...r }));
  const children: Child<unknown>[] = [];
  try {
    const sinks = await startChild<Sinks>('servers/siem-sinks.ts');
    children.push(sinks);
    const inspector = await startChild<{ receiverUrl: string; uiUrl: string }>('servers/inspector.ts', [join(dir, 'siem.db'), '100000', BENCH_TOKEN]);
    children.push(inspector);
    const s = sinks.ready;
    const targetOf = (kind: string): string => ({
      hec: `hec+${s.hecUrl}`, elastic: `elastic+${s.elasticUrl}/soveren-bench`,
      'syslog-tcp': `syslog+tcp://127.0.0.1:${s.syslogPort}`, 'syslog-udp': `syslog+udp://127.0.0.1:${s.udpPort}`,
    })[kind]!;
    const forwarding = async (body: Record<string, unknown> | null): Promise<ForwardingState> => {
      const res = await fetch(new URL('/api/forwarding', inspector.ready.uiUrl), {
        method: body === null ? 'GET' : 'PUT',
        headers: { 'content-type': 'application/json', origin: new URL(inspector.ready.uiUrl).origin },
        ...(body !== null && { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`/api/forwarding answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as ForwardingState;
    };
    const run = (durationS: number) => runLoad({ url: inspector.ready.receiverUrl, connections: CONNECTIONS, durationS, overallRate: RATE, requestsFor });
    await run(2); // warm-up: JIT, SQLite page cache, TCP

    // rounds[mode][cycle]: latencies; off rounds likewise under 'off'.
    const rounds = new Map<string, LoadResult[][]>([['off', []], ...MODES.map((m) => [m, []] as [string, LoadResult[][]])]);
    const kept = { forwarded: 0, acked: 0, failed: 0, dropped: 0 };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      for (const list of rounds.values()) list.push([]);
      const modes = cycle % 2 === 0 ? MODES : [...MODES].reverse();
      for (const [i, mode] of modes.entries()) {
        const pair = (cycle + i) % 2 === 0 ? ['off', mode] : [mode, 'off'];
        for (const m of pair) {
          const [kind, format] = m.split(':') as [string, string];
          const state = await forwarding(m === 'off' ? { targets: [] } : { targets: [targetOf(kind)], format, hecToken: s.hecToken });
          // A target seen in an earlier round keeps its counters: count from here.
          const base = state.targets[0] ?? { forwarded: 0, failed: 0, dropped: 0 };
          const r = await run(SECONDS);
          rounds.get(m)![cycle]!.push(r);
          let note = '';
          if (m !== 'off') {
            // Forwarding keeps up: wait until every acknowledged delivery was forwarded (or counted failed/dropped).
            const deadline = Date.now() + 30_000;
            const since = async () => {
              const now = (await forwarding(null)).targets[0]!;
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
          line(`cycle ${cycle + 1} ${m}`, `${num(r.rps)} req/s, p50 ${ms(lat.p50, 2)}, p99 ${ms(lat.p99, 2)}${note}`);
        }
      }
    }
    await forwarding({ targets: [] });

    const p99Of = (results: LoadResult[]) => summarize(results.flatMap((r) => r.latencies)).p99;
    const off = p99Of(rounds.get('off')!.flat());
    line('receiver p99, forwarding off', ms(off, 2));
    const counts = await sinks.ask<Counts>('counts');
    line('received by the sinks', `${num(counts.hec)} HEC events, ${num(counts.elastic)} Elasticsearch documents, ${num(counts.syslog)} syslog/TCP messages over ${counts.syslogConnections} connection(s), ${num(counts.udp)} syslog/UDP datagrams`);
    const all = kept.forwarded === kept.acked && kept.failed === 0 && kept.dropped === 0;
    line('every delivery forwarded', all ? 'yes' : `NO (${num(kept.forwarded)} of ${num(kept.acked)}, ${kept.failed} failed, ${kept.dropped} dropped)`);
    for (const mode of MODES) {
      const p99 = p99Of(rounds.get(mode)!.flat());
      const ratio = p99 / off;
      // Per cycle: this mode's round against the off rounds of the same cycle.
      const perCycle = rounds.get(mode)!.map((rs, c) => p99Of(rs) / p99Of(rounds.get('off')![c]!));
      const spread = `${Math.min(...perCycle).toFixed(2)}–${Math.max(...perCycle).toFixed(2)}`;
      line(`receiver p99, ${mode} / off`, `${ratio.toFixed(2)} (${ms(p99, 2)} / ${ms(off, 2)}; per cycle ${spread})`);
      record({
        bench: 'siem-forward', metric: `receiver p99 forwarding ${mode} / off (${RATE} req/s)`,
        value: `${ratio.toFixed(2)} (${ms(p99, 2)} / ${ms(off, 2)}; per cycle ${spread})`, target: '<= 1.10 and all forwarded', met: ratio <= 1.1 && all,
      });
    }
  } finally {
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSiemForward();
