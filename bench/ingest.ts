// Ingest: the full receive pipeline (HMAC verification, SQLite commit before the 2xx, five
// live WebSocket clients on /api/stream) under 50 concurrent connections posting ~1.5 KB
// signed Soveren events, against a bare node:http server that reads the body and answers
// 200. Rounds alternate (A B B A ...) in one run on the same machine; the figure is the
// ratio. Prints figures, never fails.
// Env: BENCH_INGEST_SECONDS (per round, default 5), BENCH_INGEST_PAIRS (default 3),
// BENCH_CONNECTIONS (default 50), BENCH_WS_CLIENTS (default 5).
// BENCH_INGEST_BASELINE=<another checkout with node_modules>: its inspector runs as a third
// contender in the same rounds (e.g. the commit before a change to the receive path), so a
// change is measured against what it replaces on the same machine at the same time.
// BENCH_INGEST_STORE=none: an experiment, not the benchmark: the same pipeline with a writer
// that stores nothing, i.e. the ceiling any storage has to fit under (no summary rows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type Child } from './lib/child.ts';
import { BENCH_TOKEN, signedBodies } from './lib/events.ts';
import { postRequests, runLoad, type LoadResult } from './lib/load.ts';
import { envInt, heading, line, ms, num, record, summarize } from './lib/report.ts';

const SECONDS = envInt('BENCH_INGEST_SECONDS', 5);
const PAIRS = envInt('BENCH_INGEST_PAIRS', 3);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 50);
const WS_CLIENTS = envInt('BENCH_WS_CLIENTS', 5);
const PER_CONNECTION = 200;
const STORE_NOTHING = process.env.BENCH_INGEST_STORE === 'none';
const BASELINE = process.env.BENCH_INGEST_BASELINE?.replace(/\/$/, '');

type CheckRow = { received: number; missing: number; duplicates: number; outOfOrder: number };
type Cpu = { user: number; system: number };
type Waits = { n: number; p50: number; p99: number; max: number };
const used = (before: Cpu, after: Cpu) => after.user - before.user + after.system - before.system;

/** An inspector under test with its own stream clients, and what its rounds measured. */
interface Contender {
  label: string;
  inspector: Child<{ receiverUrl: string; uiUrl: string }>;
  ws: Child<{ clients: number }>;
  rounds: LoadResult[];
  checks: CheckRow[][];
  waits: Waits[];
  cpuUs: number;
  othersWs: number;
  othersLoad: number;
}

export async function benchIngest(): Promise<void> {
  heading(`ingest: ${CONNECTIONS} connections, ${PAIRS} x ${BASELINE ? 3 : 2} rounds of ${SECONDS} s, ${WS_CLIENTS} stream clients${STORE_NOTHING ? ' (EXPERIMENT: nothing stored)' : ''}`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-ingest-'));
  const bodies = signedBodies(CONNECTIONS * PER_CONNECTION);
  line('body size', `${Math.round(bodies.reduce((a, b) => a + b.body.length, 0) / bodies.length)} bytes (mean), ${bodies.length} distinct`);
  const requests = postRequests(bodies);
  const requestsFor = (i: number) => requests.slice((i % CONNECTIONS) * PER_CONNECTION, ((i % CONNECTIONS) + 1) * PER_CONNECTION).map((r) => ({ ...r }));

  const children: Child<unknown>[] = [];
  try {
    const bare = await startChild<{ url: string }>('servers/bare.ts');
    children.push(bare);
    const startContender = async (label: string, script: string, db: string): Promise<Contender> => {
      const inspector = await startChild<{ receiverUrl: string; uiUrl: string }>(script, [join(dir, db), '100000', BENCH_TOKEN, ...(STORE_NOTHING ? ['none'] : [])]);
      children.push(inspector);
      const ws = await startChild<{ clients: number }>('servers/ws-clients.ts', [inspector.ready.uiUrl, String(WS_CLIENTS)]);
      children.push(ws);
      return { label, inspector, ws, rounds: [], checks: [], waits: [], cpuUs: 0, othersWs: 0, othersLoad: 0 };
    };
    const contenders = [await startContender('inspector', 'servers/inspector.ts', 'ingest.db')];
    if (BASELINE) contenders.push(await startContender(`baseline (${BASELINE})`, `${BASELINE}/bench/servers/inspector.ts`, 'baseline.db'));

    const run = (url: string, durationS: number) => runLoad({ url, connections: CONNECTIONS, durationS, requestsFor });
    // Warm-up: JIT, SQLite page cache, TCP.
    await run(bare.ready.url, 1);
    for (const c of contenders) {
      const warm = await run(c.inspector.ready.receiverUrl, 2);
      await c.ws.ask('waitFor', { lastId: Math.max(0, ...warm.acked) });
      await c.ws.ask('reset');
      await c.inspector.ask<Waits>('commitWaits'); // drop the warm-up's
    }

    const cpuOf = async (child: Child<unknown>, fn: () => Promise<LoadResult>) => {
      const before = await child.ask<Cpu>('cpu');
      const r = await fn();
      const after = await child.ask<Cpu>('cpu');
      return { r, cpuUs: used(before, after) };
    };
    let bareCpu = 0;
    const a: LoadResult[] = [];
    // Rounds alternate so that drift on a shared machine falls on every contender alike.
    const everyone = ['bare', ...contenders.map((c) => c.label)];
    const order = Array.from({ length: PAIRS }, (_, i) => (i % 2 === 0 ? everyone : [...everyone].reverse())).flat();
    for (const which of order) {
      if (which === 'bare') {
        const { r, cpuUs } = await cpuOf(bare, () => run(bare.ready.url, SECONDS));
        bareCpu += cpuUs;
        a.push(r);
        line(`round bare`, `${num(r.rps)} req/s`);
        continue;
      }
      const c = contenders.find((x) => x.label === which)!;
      const wsBefore = await c.ws.ask<Cpu>('cpu');
      const selfBefore = process.cpuUsage();
      const { r, cpuUs } = await cpuOf(c.inspector, () => run(c.inspector.ready.receiverUrl, SECONDS));
      c.othersLoad += used(selfBefore, process.cpuUsage());
      c.othersWs += used(wsBefore, await c.ws.ask<Cpu>('cpu'));
      c.cpuUs += cpuUs;
      c.rounds.push(r);
      const last = r.acked.reduce((m, id) => Math.max(m, id), 0);
      await c.ws.ask('waitFor', { lastId: last, timeoutMs: 20_000 });
      const check = await c.ws.ask<CheckRow[]>('check', { acked: r.acked });
      c.waits.push(await c.inspector.ask<Waits>('commitWaits'));
      c.checks.push(check);
      await c.ws.ask('reset');
      line(`round ${c.label}`, `${num(r.rps)} req/s, ${r.non2xx} non-2xx, stream: ${check.map((x) => `${x.received}`).join('/')} received`);
    }

    const total = (rs: LoadResult[]) => {
      const count = rs.reduce((sum, r) => sum + r.ok + r.non2xx, 0);
      const elapsed = rs.reduce((sum, r) => sum + r.elapsedMs, 0);
      return { rps: count / (elapsed / 1000), lat: summarize(rs.flatMap((r) => r.latencies)), errors: rs.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0) };
    };
    const perReq = (us: number, rs: LoadResult[]) => us / rs.reduce((sum, r) => sum + r.ok + r.non2xx, 0);
    const ta = total(a);
    line('bare node:http', `${num(ta.rps)} req/s, p50 ${ms(ta.lat.p50)}, p99 ${ms(ta.lat.p99)}, server CPU ${perReq(bareCpu, a).toFixed(0)} µs per request`);
    const results = contenders.map((c) => {
      const tb = total(c.rounds);
      const ratio = tb.rps / ta.rps;
      const pairRatios = a.map((r, i) => c.rounds[i]!.rps / r.rps).sort((x, y) => x - y);
      const acked = c.rounds.reduce((sum, r) => sum + r.acked.length, 0);
      const flat = c.checks.flat();
      const missing = flat.reduce((sum, x) => sum + x.missing, 0);
      const dups = flat.reduce((sum, x) => sum + x.duplicates, 0);
      const disorder = flat.reduce((sum, x) => sum + x.outOfOrder, 0);
      const allDelivered = missing === 0 && dups === 0 && disorder === 0 && acked > 0;
      line(`${c.label} (verify + commit + ${WS_CLIENTS} streams)`, `${num(tb.rps)} req/s, p50 ${ms(tb.lat.p50)}, p99 ${ms(tb.lat.p99)}, errors/non-2xx ${tb.errors}`);
      line('  server side: wait for the group commit', `p50 ${ms(Math.max(...c.waits.map((w) => w.p50)))}, p99 ${ms(Math.max(...c.waits.map((w) => w.p99)))} (worst round)`);
      line('  ratio to bare', `${ratio.toFixed(3)} (per pair: ${pairRatios.map((r) => r.toFixed(3)).join(', ')})`);
      line('  server CPU per request', `${perReq(c.cpuUs, c.rounds).toFixed(0)} µs; stream clients ${perReq(c.othersWs, c.rounds).toFixed(0)} µs, load gen ${perReq(c.othersLoad, c.rounds).toFixed(0)} µs`);
      line('  stream: acknowledged deliveries', `${num(acked)} x ${WS_CLIENTS} clients: ${missing} missing, ${dups} duplicates, ${disorder} out of order`);
      return { c, tb, ratio, acked, missing, dups, disorder, allDelivered };
    });
    const main = results[0]!;
    const stats = await main.c.inspector.ask<{ commits: { groups: number; deliveries: number } }>('stats');
    line('deliveries per group commit (inspector)', (stats.commits.deliveries / stats.commits.groups).toFixed(1));
    if (results[1]) line('inspector / baseline', `${(main.tb.rps / results[1].tb.rps).toFixed(3)} (req/s)`);
    line('every client got every ack exactly once, in order', results.every((x) => x.allDelivered) ? 'yes' : 'NO');
    const { tb, ratio, acked, missing, dups, disorder, allDelivered } = main;

    if (STORE_NOTHING) return;
    record({ bench: 'ingest', metric: 'req/s ratio vs bare node:http', value: `${ratio.toFixed(2)} (${num(tb.rps)} / ${num(ta.rps)})`, target: '>= 0.25', met: ratio >= 0.25 });
    record({ bench: 'ingest', metric: 'latency p50 / p99 (50 conns)', value: `${ms(tb.lat.p50)} / ${ms(tb.lat.p99)}`, target: 'p99 <= 20 ms', met: tb.lat.p99 <= 20 });
    record({ bench: 'ingest', metric: `stream delivery to ${WS_CLIENTS} clients`, value: allDelivered ? `100% of ${num(acked)}, once, in order` : `${missing} missing, ${dups} dup, ${disorder} disorder`, target: '100%', met: allDelivered });
  } finally {
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngest();
