// Every delivery answered 2xx survives `kill -9` at any moment: flood the receiver from 50
// keep-alive clients, SIGKILL serve mid-flood, restart it on the same database, repeat;
// then every acknowledged id must hold exactly the delivery it acknowledged, and
// PRAGMA integrity_check must say ok.
import { Agent, request } from 'node:http';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { httpRequest, spawnServe, tempDbPath } from './hardening-serve-process.ts';

const ROUNDS = 4;
const CLIENTS = 50;

interface Ack {
  id: number;
  marker: string;
}

/** POST one delivery; resolves with its acknowledged id, or null for anything but a 2xx with an id. */
function deliver(agent: Agent, url: string, marker: string): Promise<number | null> {
  const body = JSON.stringify({ title: marker, category: 'Data at risk', event_type: 'policy_violation', sensitivity: 'High' });
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        try {
          const id = (JSON.parse(text) as { id?: unknown }).id;
          resolve(status >= 200 && status < 300 && typeof id === 'number' ? id : null);
        } catch {
          resolve(null);
        }
      });
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

/** One round: start serve, flood it, SIGKILL it `killAfterMs` after 100 acknowledgements; returns what was acknowledged. */
async function floodAndKill(db: string, round: number, killAfterMs: number): Promise<{ acks: Ack[]; failed: number; signal: unknown }> {
  const serve = await spawnServe(['--db', db, '--quiet']);
  const url = serve.receiverUrl + `flood/${round}`;
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const acks: Ack[] = [];
  let failed = 0;
  let stopped = false;
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let n = 0; n < 20_000 && !stopped; n++) {
      const marker = `r${round}-c${c}-n${n}`;
      const id = await deliver(agent, url, marker);
      if (id === null) {
        failed++;
        return; // the server is gone
      }
      acks.push({ id, marker });
    }
  });
  // Mid-flood for sure: wait (on the condition, not a fixed time, which a loaded machine may
  // not fill) until a good number are acknowledged, then kill `killAfterMs` later.
  const deadline = Date.now() + 20_000;
  while (acks.length <= 100 && failed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, killAfterMs));
  serve.proc.kill('SIGKILL');
  const signal = await serve.exited;
  stopped = true;
  await Promise.all(clients);
  agent.destroy();
  return { acks, failed, signal };
}

describe('kill -9 durability', () => {
  it('keeps every acknowledged delivery across repeated SIGKILLs mid-flood', async () => {
    const db = tempDbPath();
    const all: Ack[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Kill at a different moment each round, always while requests are in flight.
      const { acks, failed, signal } = await floodAndKill(db, round, 200 + round * 170);
      expect(signal).toBe('SIGKILL');
      expect(acks.length, `round ${round} acknowledged`).toBeGreaterThan(100);
      expect(failed, `round ${round}: requests in flight at the kill`).toBeGreaterThan(0);
      all.push(...acks);
    }
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length); // no id acknowledged twice

    // Restart on the same database: it opens (recovering the WAL) and serves every row.
    const serve = await spawnServe(['--db', db, '--quiet']);
    try {
      const reader = new Database(db, { readonly: true });
      try {
        expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Map((reader.prepare('SELECT id, title FROM deliveries').all() as { id: number; title: string }[]).map((r) => [r.id, r.title]));
        const missing = all.filter((a) => stored.get(a.id) !== a.marker);
        expect(missing.slice(0, 5), `${missing.length} of ${all.length} acknowledged deliveries lost or changed`).toEqual([]);
      } finally {
        reader.close();
      }
      for (const a of all.filter((_, i) => i % Math.ceil(all.length / 40) === 0)) {
        const r = await httpRequest('GET', `${serve.uiUrl}api/deliveries/${a.id}`);
        expect(r.status).toBe(200);
        expect((JSON.parse(r.body) as { title: string }).title).toBe(a.marker);
      }
    } finally {
      await serve.stop();
    }
  });
});
