// Ingest: the full receive pipeline (HMAC verification, SQLite commit before the 2xx, five
// live WebSocket clients on /api/stream) under 50 concurrent connections posting ~1.5 KB
// signed Soveren events, against a bare node:http server that reads the body and answers
// 200. Rounds alternate (A B B A ...) in one run on the same machine; the figure is the
// ratio. Prints figures, never fails.
// Env: BENCH_INGEST_SECONDS (per round, default 5), BENCH_INGEST_PAIRS (default 3),
// BENCH_CONNECTIONS (default 50), BENCH_WS_CLIENTS (default 5).
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

type CheckRow = { received: number; missing: number; duplicates: number; outOfOrder: number };

export async function benchIngest(): Promise<void> {
  heading(`ingest: ${CONNECTIONS} connections, ${PAIRS} x 2 rounds of ${SECONDS} s, ${WS_CLIENTS} stream clients${STORE_NOTHING ? ' (EXPERIMENT: nothing stored)' : ''}`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-ingest-'));
  const bodies = signedBodies(CONNECTIONS * PER_CONNECTION);
  line('body size', `${Math.round(bodies.reduce((a, b) => a + b.body.length, 0) / bodies.length)} bytes (mean), ${bodies.length} distinct`);
  const requests = postRequests(bodies);
  const requestsFor = (i: number) => requests.slice((i % CONNECTIONS) * PER_CONNECTION, ((i % CONNECTIONS) + 1) * PER_CONNECTION).map((r) => ({ ...r }));

  const children: Child<unknown>[] = [];
  try {
    const bare = await startChild<{ url: string }>('servers/bare.ts');
    children.push(bare);
    const inspector = await startChild<{ receiverUrl: string; uiUrl: string }>('servers/inspector.ts', [join(dir, 'ingest.db'), '100000', BENCH_TOKEN, ...(STORE_NOTHING ? ['none'] : [])]);
    children.push(inspector);
    const ws = await startChild<{ clients: number }>('servers/ws-clients.ts', [inspector.ready.uiUrl, String(WS_CLIENTS)]);
    children.push(ws);

    const run = (url: string, durationS: number) => runLoad({ url, connections: CONNECTIONS, durationS, requestsFor });
    // Warm-up: JIT, SQLite page cache, TCP.
    await run(bare.ready.url, 1);
    const warm = await run(inspector.ready.receiverUrl, 2);
    await ws.ask('waitFor', { lastId: Math.max(0, ...warm.acked) });
    await ws.ask('reset');

    type Cpu = { user: number; system: number };
    const used = (before: Cpu, after: Cpu) => after.user - before.user + after.system - before.system;
    const others = { ws: 0, load: 0 };
    const cpuOf = async (child: Child<unknown>, fn: () => Promise<LoadResult>, withStreams = false) => {
      const before = await child.ask<Cpu>('cpu');
      const wsBefore = withStreams ? await ws.ask<Cpu>('cpu') : null;
      const selfBefore = process.cpuUsage();
      const r = await fn();
      if (withStreams) others.load += used(selfBefore, process.cpuUsage());
      if (wsBefore) others.ws += used(wsBefore, await ws.ask<Cpu>('cpu'));
      const after = await child.ask<Cpu>('cpu');
      return { r, cpuUs: used(before, after) };
    };
    const cpu = { a: 0, b: 0 };
    type Waits = { n: number; p50: number; p99: number; max: number };
    await inspector.ask<Waits>('commitWaits'); // drop the warm-up's
    const waits: Waits[] = [];
    const a: LoadResult[] = [];
    const b: LoadResult[] = [];
    const checks: CheckRow[][] = [];
    const order = Array.from({ length: PAIRS }, (_, i) => (i % 2 === 0 ? ['A', 'B'] : ['B', 'A'])).flat();
    for (const which of order) {
      if (which === 'A') {
        const { r, cpuUs } = await cpuOf(bare, () => run(bare.ready.url, SECONDS));
        cpu.a += cpuUs;
        a.push(r);
        line(`round bare`, `${num(r.rps)} req/s`);
      } else {
        const { r, cpuUs } = await cpuOf(inspector, () => run(inspector.ready.receiverUrl, SECONDS), true);
        cpu.b += cpuUs;
        b.push(r);
        const last = r.acked.reduce((m, id) => Math.max(m, id), 0);
        await ws.ask('waitFor', { lastId: last, timeoutMs: 20_000 });
        const check = await ws.ask<CheckRow[]>('check', { acked: r.acked });
        waits.push(await inspector.ask<Waits>('commitWaits'));
        checks.push(check);
        await ws.ask('reset');
        line(`round inspector`, `${num(r.rps)} req/s, ${r.non2xx} non-2xx, stream: ${check.map((c) => `${c.received}`).join('/')} received`);
      }
    }

    const total = (rs: LoadResult[]) => {
      const count = rs.reduce((s, r) => s + r.ok + r.non2xx, 0);
      const elapsed = rs.reduce((s, r) => s + r.elapsedMs, 0);
      return { rps: count / (elapsed / 1000), lat: summarize(rs.flatMap((r) => r.latencies)), errors: rs.reduce((s, r) => s + r.errors + r.timeouts + r.non2xx, 0) };
    };
    const ta = total(a);
    const tb = total(b);
    const ratio = tb.rps / ta.rps;
    const pairRatios = a.map((r, i) => b[i]!.rps / r.rps).sort((x, y) => x - y);
    const acked = b.reduce((s, r) => s + r.acked.length, 0);
    const flat = checks.flat();
    const missing = flat.reduce((s, c) => s + c.missing, 0);
    const dups = flat.reduce((s, c) => s + c.duplicates, 0);
    const disorder = flat.reduce((s, c) => s + c.outOfOrder, 0);
    const allDelivered = missing === 0 && dups === 0 && disorder === 0 && acked > 0;

    line('bare node:http', `${num(ta.rps)} req/s, p50 ${ms(ta.lat.p50)}, p99 ${ms(ta.lat.p99)}`);
    line('inspector (verify + commit + 5 streams)', `${num(tb.rps)} req/s, p50 ${ms(tb.lat.p50)}, p99 ${ms(tb.lat.p99)}, errors/non-2xx ${tb.errors}`);
    line('  server side: wait for the group commit', `p50 ${ms(Math.max(...waits.map((w) => w.p50)))}, p99 ${ms(Math.max(...waits.map((w) => w.p99)))} (worst round)`);
    const stats = await inspector.ask<{ commits: { groups: number; deliveries: number } }>('stats');
    line('  deliveries per group commit', (stats.commits.deliveries / stats.commits.groups).toFixed(1));
    line('ratio inspector / bare', `${ratio.toFixed(2)} (per pair: ${pairRatios.map((r) => r.toFixed(2)).join(', ')})`);
    line('stream: acknowledged deliveries', `${num(acked)} x ${WS_CLIENTS} clients: ${missing} missing, ${dups} duplicates, ${disorder} out of order`);
    const perReq = (us: number, rs: LoadResult[]) => us / rs.reduce((s, r) => s + r.ok + r.non2xx, 0);
    line('server CPU per request (bare / inspector)', `${perReq(cpu.a, a).toFixed(0)} / ${perReq(cpu.b, b).toFixed(0)} µs`);
    line('  during inspector rounds: stream clients, load gen', `${perReq(others.ws, b).toFixed(0)} µs, ${perReq(others.load, b).toFixed(0)} µs per request`);
    line('every client got every ack exactly once, in order', allDelivered ? 'yes' : 'NO');

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
