// Footprint: bytes on disk per delivery against the raw bytes received (request line,
// headers and body), for deliveries that came through the receiver in group commits as
// they happen; and the serving process's RSS with 1M deliveries stored and 10 stream
// clients connected, after live traffic and a round of API reads. Prints figures, never fails.
// Env: BENCH_FOOTPRINT_HTTP (deliveries posted, default 20,000), BENCH_QUERY_ROWS (rows
// stored for the RSS figure, default 1,000,000), BENCH_SEEDED_DB (reuse a seeded database).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type Child } from './lib/child.ts';
import { BENCH_TOKEN, signedBodies } from './lib/events.ts';
import { postRequests, runLoad } from './lib/load.ts';
import { envInt, heading, line, mib, num, record } from './lib/report.ts';
import { seededDatabase } from './lib/seed.ts';

const POSTED = envInt('BENCH_FOOTPRINT_HTTP', 20_000);
const ROWS = envInt('BENCH_QUERY_ROWS', 1_000_000);
const CLIENTS = 10;
const CONNECTIONS = 20;

type Memory = { rss: number; heapUsed: number; external: number; arrayBuffers: number };

const fileBytes = (db: string) => [db, `${db}-wal`, `${db}-shm`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);

/** Bytes of the HTTP request autocannon sends for this request object. */
function rawRequestBytes(r: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }, host: string): number {
  let n = `${r.method} ${r.path} HTTP/1.1\r\nHost: ${host}\r\n`.length;
  for (const [k, v] of Object.entries(r.headers ?? {})) n += k.length + 2 + Buffer.byteLength(v) + 2;
  const body = r.body === undefined ? 0 : Buffer.byteLength(r.body);
  return n + `Content-Length: ${body}\r\n\r\n`.length + body;
}

async function post(child: Child<{ receiverUrl: string }>, count: number): Promise<{ raw: number; acked: number; lastId: number }> {
  const requests = postRequests(signedBodies(Math.min(count, 20_000)));
  const host = new URL(child.ready.receiverUrl).host;
  const per = Math.ceil(requests.length / CONNECTIONS);
  const slices = Array.from({ length: CONNECTIONS }, (_, i) => requests.slice(i * per, (i + 1) * per));
  const r = await runLoad({ url: child.ready.receiverUrl, connections: CONNECTIONS, amount: count, requestsFor: (i) => slices[i % CONNECTIONS]!.map((x) => ({ ...x })) });
  // Every connection sends its slice in order, again from the top when it runs out.
  let raw = 0;
  const perConnection = Math.floor(count / CONNECTIONS);
  for (let c = 0; c < CONNECTIONS; c++) {
    const n = perConnection + (c < count % CONNECTIONS ? 1 : 0);
    const slice = slices[c]!;
    for (let k = 0; k < n; k++) raw += rawRequestBytes(slice[k % slice.length]!, host);
  }
  return { raw, acked: r.acked.length, lastId: r.acked.reduce((m, id) => Math.max(m, id), 0) };
}

export async function benchFootprint(): Promise<void> {
  heading(`footprint: ${num(POSTED)} deliveries through the receiver; RSS with ${num(ROWS)} stored and ${CLIENTS} stream clients`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-footprint-'));
  const children: Child<unknown>[] = [];
  const seeded = seededDatabase(ROWS);
  try {
    // Disk: a fresh database fed through HTTP, so chunks are as big as real group commits make them.
    const db = join(dir, 'posted.db');
    const fresh = await startChild<{ receiverUrl: string; uiUrl: string }>('servers/inspector.ts', [db, String(POSTED * 2), BENCH_TOKEN]);
    children.push(fresh);
    const sent = await post(fresh, POSTED);
    const commits = (await fresh.ask<{ commits: { groups: number; deliveries: number } }>('stats')).commits;
    await fresh.stop(); // closes the database: the WAL is checkpointed into it
    children.pop();
    const perDelivery = fileBytes(db) / sent.acked;
    const rawPer = sent.raw / sent.acked;
    const ratio = perDelivery / rawPer;
    line('raw bytes received per delivery', `${num(rawPer)} B (request line, headers, ~1.5 KB signed event)`);
    line('on disk per delivery (via HTTP)', `${num(perDelivery)} B = ${ratio.toFixed(2)}x raw (${(commits.deliveries / commits.groups).toFixed(1)} deliveries per commit)`);
    if (seeded.rawBytes) {
      const bulk = fileBytes(seeded.file) / ROWS / (seeded.rawBytes / ROWS);
      line(`on disk per delivery (${num(ROWS)} seeded)`, `${num(fileBytes(seeded.file) / ROWS)} B = ${bulk.toFixed(2)}x raw of ${num(seeded.rawBytes / ROWS)} B`);
    }
    record({ bench: 'footprint', metric: 'disk per delivery vs raw received', value: `${ratio.toFixed(2)}x (${num(perDelivery)} / ${num(rawPer)} B)`, target: '<= 1.5x', met: ratio <= 1.5 });

    // RSS: the million-row database served, 10 live clients, live traffic and API reads.
    const big = await startChild<{ receiverUrl: string; uiUrl: string }>('servers/inspector.ts', [seeded.file, String(ROWS * 2), BENCH_TOKEN]);
    children.push(big);
    const idle = await big.ask<Memory>('memory');
    const ws = await startChild<{ clients: number }>('servers/ws-clients.ts', [big.ready.uiUrl, String(CLIENTS)]);
    children.push(ws);
    const live = await post(big, Math.min(POSTED, 20_000));
    await ws.ask('waitFor', { lastId: live.lastId });
    const api = `${big.ready.uiUrl}api/`;
    for (const path of ['deliveries?limit=100', 'facets', 'histogram', 'deliveries?q=stripe&limit=100', 'deliveries?category=data_at_risk&event_type=policy_violation&limit=100']) {
      const res = await fetch(api + path);
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      await res.arrayBuffer();
    }
    const first = (await (await fetch(`${api}deliveries?limit=100`)).json()) as { items: { id: number }[] };
    for (const d of first.items) await (await fetch(`${api}deliveries/${d.id}`)).arrayBuffer();
    const after = await big.ask<Memory>('memory');
    line(`server RSS, ${num(ROWS)} stored, idle`, mib(idle.rss));
    line(`server RSS, + ${CLIENTS} clients, ${num(live.acked)} live, API reads`, `${mib(after.rss)} (JS heap ${mib(after.heapUsed)}, buffers ${mib(after.arrayBuffers)})`);
    record({ bench: 'footprint', metric: `RSS with ${num(ROWS)} stored, ${CLIENTS} clients`, value: mib(after.rss), target: '<= 300 MB', met: after.rss <= 300 * 1024 * 1024 });
  } finally {
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
    seeded.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFootprint();
