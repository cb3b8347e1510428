// Every output a sink acknowledged survives `kill -9`, as deliveries do: flood the HEC and
// Elasticsearch sinks from 30 keep-alive clients, SIGKILL serve mid-flood, restart on the
// same database, repeat; then every acknowledged marker must be stored exactly as sent, and
// PRAGMA integrity_check must say ok.
import { Agent, request } from 'node:http';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnServe, tempDbPath } from './hardening-serve-process.ts';

const ROUNDS = 2;
const CLIENTS = 30;

/** POST; resolves true only for an answer that acknowledges (HEC code 0, or a bulk without errors). */
function post(agent: Agent, url: string, body: string, auth: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        try {
          const answer = JSON.parse(text) as { code?: number; errors?: boolean };
          resolve(res.statusCode === 200 && (answer.code === 0 || answer.errors === false));
        } catch {
          resolve(false);
        }
      });
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

async function floodAndKill(db: string, round: number, killAfterMs: number): Promise<{ acked: string[]; signal: unknown }> {
  const serve = await spawnServe(['--db', db, '--quiet']);
  const deadline = Date.now() + 10_000;
  while (!/^sink: /m.test(serve.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const sink = /^sink: (\S+)/m.exec(serve.stdout())![1]!;
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const acked: string[] = [];
  let stopped = false;
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let n = 0; n < 20_000 && !stopped; n++) {
      const marker = `r${round}-c${c}-n${n}`;
      const ok = c % 2 === 0
        ? await post(agent, `${sink}services/collector/event`, JSON.stringify({ event: { marker } }), 'Splunk any')
        : await post(agent, `${sink}k9/_bulk`, `{"index":{}}\n${JSON.stringify({ marker })}\n`, 'ApiKey any');
      if (!ok) return; // the server is gone
      acked.push(marker);
    }
  });
  await new Promise((r) => setTimeout(r, killAfterMs));
  serve.proc.kill('SIGKILL');
  const signal = await serve.exited;
  stopped = true;
  await Promise.all(clients);
  agent.destroy();
  return { acked, signal };
}

describe('kill -9 durability of outputs', () => {
  it('keeps every acknowledged output across repeated SIGKILLs mid-flood', async () => {
    const db = tempDbPath();
    const all: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { acked, signal } = await floodAndKill(db, round, 1500 + round * 170);
      expect(signal).toBe('SIGKILL');
      expect(acked.length, `round ${round} acknowledged`).toBeGreaterThan(30);
      all.push(...acked);
    }
    const serve = await spawnServe(['--db', db, '--quiet']);
    try {
      const reader = new Database(db, { readonly: true });
      try {
        expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set<string>();
        for (const { sink, body } of reader.prepare('SELECT sink, body FROM outputs').all() as { sink: string; body: Buffer }[]) {
          const parsed = JSON.parse(body.toString('utf8')) as { marker?: string; event?: { marker: string } };
          stored.add(sink === 'hec' ? parsed.event!.marker : parsed.marker!);
        }
        const missing = all.filter((m) => !stored.has(m));
        expect(missing.slice(0, 5), `${missing.length} of ${all.length} acknowledged outputs lost`).toEqual([]);
      } finally {
        reader.close();
      }
    } finally {
      await serve.stop();
    }
  }, 90_000); // three serve start-ups on a loaded two-core machine
});
