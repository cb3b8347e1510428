// Reliability figures for the README's security section (issue 16): kill -9 rounds over
// signed deliveries (acknowledged vs stored), and the latency of normal deliveries while a
// slowloris holds hundreds of connections (against a baseline without it, same run).
// Env: BENCH_KILL_ROUNDS (3), BENCH_KILL_DELIVERIES (2000 per round), BENCH_KILL_CONNECTIONS
// (20), BENCH_SLOWLORIS (500 connections), BENCH_NORMAL_MS (5000 per phase).
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import Database from 'better-sqlite3';
import { signBody } from '../server/soveren/signature.ts';
import { spawnServe, tempDbPath } from '../test/helpers/serve-process.ts';
import { envInt, heading, line, ms, num, record, sleep, summarize } from './lib/report.ts';

const TOKEN = 'bench-reliability-token';
const ROUNDS = envInt('BENCH_KILL_ROUNDS', 3);
const PER_ROUND = envInt('BENCH_KILL_DELIVERIES', 2000);
const CONNECTIONS = envInt('BENCH_KILL_CONNECTIONS', 20);
const SLOW = envInt('BENCH_SLOWLORIS', 500);
const NORMAL_MS = envInt('BENCH_NORMAL_MS', 5000);

/** One signed delivery; resolves with its round-trip time, or null unless answered 2xx. */
function deliver(agent: Agent, url: string, marker: string): Promise<number | null> {
  const body = JSON.stringify({ title: marker, category: 'Data at risk', event_type: 'policy_violation', sensitivity: 'High' });
  const headers = { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': signBody(body, TOKEN) };
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode! >= 200 && res.statusCode! < 300 ? performance.now() - start : null));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

async function killRounds(): Promise<void> {
  heading(`kill -9: ${ROUNDS} rounds of ${num(PER_ROUND)} signed deliveries over ${CONNECTIONS} connections`);
  const db = tempDbPath();
  const acked: string[] = [];
  let sentTotal = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const serve = await spawnServe(['--db', db, '--quiet', '--token', TOKEN]);
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    // Killed once a different share of the round is acknowledged: always mid-flood.
    const killAt = Math.round(PER_ROUND * (0.3 + (0.4 * round) / Math.max(1, ROUNDS - 1)));
    let next = 0;
    let acks = 0;
    let killed = false;
    const clients = Array.from({ length: CONNECTIONS }, async () => {
      while (next < PER_ROUND) {
        const marker = `r${round}-n${next++}`;
        sentTotal++;
        if ((await deliver(agent, `${serve.receiverUrl}kill/${round}`, marker)) === null) return; // the server is gone
        acked.push(marker);
        if (++acks >= killAt && !killed) {
          killed = true;
          serve.proc.kill('SIGKILL');
        }
      }
    });
    await Promise.all(clients);
    await serve.exited;
    agent.destroy();
    line(`round ${round + 1}: killed after`, `${num(acks)} acknowledged of ${num(PER_ROUND)}`);
  }
  const reader = new Database(db, { readonly: true });
  const stored = new Set((reader.prepare('SELECT title FROM deliveries').all() as { title: string }[]).map((r) => r.title));
  const integrity = reader.pragma('integrity_check', { simple: true });
  reader.close();
  const lost = acked.filter((m) => !stored.has(m)).length;
  line('requests sent', num(sentTotal));
  line('acknowledged (2xx)', num(acked.length));
  line('stored (any)', num(stored.size));
  line('acknowledged but not stored (lost)', num(lost));
  line('integrity_check', String(integrity));
  record({ bench: 'reliability', metric: `kill -9 x${ROUNDS}: acknowledged / stored of them`, value: `${num(acked.length)} / ${num(acked.length - lost)}`, target: 'none lost', met: lost === 0 });
}

/** A slowloris connection: a request line and one header byte a second, never finished. */
function openSlow(port: number): Socket {
  const socket = connect(port, '127.0.0.1', () => socket.write('POST /slow HTTP/1.1\r\nHost: x\r\nX-Slow: '));
  const timer = setInterval(() => socket.write('a'), 1000);
  socket.on('error', () => {});
  socket.on('close', () => clearInterval(timer));
  return socket;
}

async function normalLatencies(url: string): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const times: number[] = [];
  const end = performance.now() + NORMAL_MS;
  await Promise.all(Array.from({ length: 4 }, async (_, c) => {
    for (let n = 0; performance.now() < end; n++) {
      const t = await deliver(agent, url, `normal-${c}-${n}`);
      if (t !== null) times.push(t);
    }
  }));
  agent.destroy();
  return times;
}

async function slowloris(): Promise<void> {
  heading(`slowloris: ${SLOW} connections trickling headers, normal signed deliveries meanwhile`);
  const serve = await spawnServe(['--db', tempDbPath(), '--quiet', '--token', TOKEN]);
  try {
    const port = Number(new URL(serve.receiverUrl).port);
    const base = summarize(await normalLatencies(`${serve.receiverUrl}normal`));
    const slow = Array.from({ length: SLOW }, () => openSlow(port));
    await sleep(500);
    const open = slow.filter((s) => !s.destroyed).length;
    const during = summarize(await normalLatencies(`${serve.receiverUrl}normal`));
    for (const s of slow) s.destroy();
    line('baseline: deliveries, p50, p99', `${num(base.n)}, ${ms(base.p50)}, ${ms(base.p99)}`);
    line(`with ${open} slow connections: deliveries, p50, p99`, `${num(during.n)}, ${ms(during.p50)}, ${ms(during.p99)}`);
    line('p99 ratio (slowloris / baseline)', `${(during.p99 / base.p99).toFixed(2)}x`);
    record({ bench: 'reliability', metric: `p99 of normal deliveries with ${SLOW} slowloris connections`, value: `${ms(during.p99)} (${(during.p99 / base.p99).toFixed(2)}x baseline ${ms(base.p99)})`, target: 'stays fast', met: null });
  } finally {
    await serve.stop();
  }
}

await killRounds();
await slowloris();
