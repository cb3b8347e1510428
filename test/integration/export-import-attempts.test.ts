// Attempts travel with NDJSON export/import (every column, no secret), importing a file twice
// skips what is already there (reported; --allow-duplicates imports copies), and imported
// deliveries say their verdicts were made at receipt (importedAt in the API).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sign } from '@octokit/webhooks-methods';
import type { DeliveryDetail, ExportedDelivery } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';
import { startTarget, type Target } from './sender-target.ts';

const RX = 'rx-attempts-export';
const REPLAY_TOKEN = 'replay-secret-Zq81xv';
const PASSWORD = 'pw-Hunter2-x9';
let t: TestInspector;
let target: Target;
const ids: number[] = [];

const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportedDelivery);
const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
  const res = await fetch(new URL(path, t.uiUrl), init);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
/** Every stored column of every attempt, ids aside, in order: what a round trip must keep. */
function attemptRows(file: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT * FROM attempts ORDER BY id').all() as Record<string, unknown>[]).map(({ id: _i, delivery_id: _d, ...rest }) => rest);
  } finally {
    db.close();
  }
}
const countDeliveries = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  t = await startTestInspector({ tokens: [RX] });
  // The first replay is accepted; the second gets a 503 with a body and a header.
  target = await startTarget((_req, i) => (i === 0 ? { status: 202, body: '{"queued":true}' } : { status: 503, headers: { 'retry-after': '7' }, body: 'busy' }));
  for (const title of ['first', 'second']) {
    const body = JSON.stringify({ event_type: 'new_data_type', category: 'New data type', title });
    const res = await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(RX, body) }, body });
    ids.push(Number(res.headers.get('x-soveren-inspector-id')));
  }
  const withCredentials = target.url.replace('http://', `http://user:${PASSWORD}@`);
  for (const id of ids) {
    await api(`/api/deliveries/${id}/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: withCredentials, token: REPLAY_TOKEN }) });
  }
});
afterAll(async () => {
  await target?.close();
  await t?.close();
});

describe('NDJSON export and import of attempts', () => {
  it('exports each delivery with its attempts (no secret) and imports them into a fresh database with the same fields', async () => {
    const file = join(t.dir, 'with-attempts.ndjson');
    const exported = await runCli(['export', '--db', t.dbPath, '--out', file]);
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    for (const secret of [REPLAY_TOKEN, PASSWORD]) expect(text).not.toContain(secret);
    const [a, b] = lines(text);
    expect(a!.attempts).toHaveLength(1);
    expect(a!.attempts![0]).toMatchObject({ kind: 'replay', status: 202, ok: true, error: null, responseBody: '{"queued":true}' });
    expect(b!.attempts![0]).toMatchObject({ kind: 'replay', status: 503, ok: false, responseBody: 'busy' });
    expect(b!.attempts![0]!.responseHeaders).toContainEqual(['retry-after', '7']);
    // What was sent (signing mode, payload format) travels too.
    expect(a!.attempts![0]).toMatchObject({ signing: 'fresh', format: 'soveren', editedBody: null, editedSha256: null });
    expect(new URL(a!.attempts![0]!.target).password).toBe('');
    expect(new Date(a!.attempts![0]!.at).toISOString()).toBe(a!.attempts![0]!.at);

    const fresh = join(t.dir, 'fresh-attempts.db');
    const imported = await runCli(['import', '--db', fresh, file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported 2 deliveries with 2 attempts into .*fresh-attempts\.db \(ids 1-2\)\n$/);
    // Every column of every attempt, as stored, is the same in both databases.
    expect(attemptRows(fresh)).toEqual(attemptRows(t.dbPath));
    expect(attemptRows(fresh)).toHaveLength(2);
    // Exported again, the attempts read the same; the latest outcome is queryable as before.
    const again = await runCli(['export', '--db', fresh]);
    expect(lines(again.stdout).map((d) => d.attempts)).toEqual([a!.attempts, b!.attempts]);
    const failed = await runCli(['export', '--db', fresh, '--query', 'replay:failed']);
    expect(lines(failed.stdout).map((d) => d.title)).toEqual(['second']);
  });

  it('skips deliveries already in the database, says how many, and imports copies with --allow-duplicates', async () => {
    const file = join(t.dir, 'with-attempts.ndjson');
    const db = join(t.dir, 'twice.db');
    expect((await runCli(['import', '--db', db, file])).code).toBe(0);
    const second = await runCli(['import', '--db', db, file]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^imported 0 deliveries into .*twice\.db; 2 already in the database, skipped \(--allow-duplicates imports them again\)\n$/);
    expect(countDeliveries(db)).toBe(2);
    expect(attemptRows(db)).toHaveLength(2);

    // The database the export came from holds them too (the running inspector's own).
    const own = await runCli(['import', '--db', t.dbPath, file]);
    expect(own.stdout).toMatch(/imported 0 deliveries .*; 2 already in the database, skipped/);

    // A line that differs only in its arrival time is another delivery.
    const [first] = readFileSync(file, 'utf8').split('\n');
    const moved = { ...(JSON.parse(first!) as ExportedDelivery), receivedAt: new Date(Date.now() - 60_000).toISOString() };
    const mixed = join(t.dir, 'mixed.ndjson');
    writeFileSync(mixed, `${first}\n${JSON.stringify(moved)}\n`);
    const third = await runCli(['import', '--db', db, mixed]);
    expect(third.stdout).toMatch(/^imported 1 delivery with 1 attempt into .*\(ids 3-3\); 1 already in the database, skipped/);

    const forced = await runCli(['import', '--db', db, '--allow-duplicates', file]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^imported 2 deliveries with 2 attempts into .*\(ids 4-5\)\n$/);
    expect(countDeliveries(db)).toBe(5);
  });

  it('marks imported deliveries in the API: their verdicts were made at receipt', async () => {
    const file = join(t.dir, 'with-attempts.ndjson');
    const [first] = readFileSync(file, 'utf8').split('\n');
    const later = { ...(JSON.parse(first!) as ExportedDelivery), receivedAt: new Date(Date.now() - 5000).toISOString() };
    const one = join(t.dir, 'one-more.ndjson');
    writeFileSync(one, JSON.stringify(later) + '\n');
    const before = Date.now();
    const r = await runCli(['import', '--db', t.dbPath, one]);
    const id = Number(/ids (\d+)-/.exec(r.stdout)?.[1]);
    expect(id, r.stdout + r.stderr).toBeGreaterThan(ids[1]!);
    const imported = await api<DeliveryDetail>(`/api/deliveries/${id}`);
    expect(Date.parse(imported.importedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(imported.signature).toBe('valid');
    expect(imported.attempts.map((a) => a.status)).toEqual([202]);
    const live = await api<DeliveryDetail>(`/api/deliveries/${ids[0]}`);
    expect(live.importedAt).toBeNull();
    // The list and the stream carry the field too.
    const page = await api<{ items: { id: number; importedAt?: string | null }[] }>('/api/deliveries?limit=10');
    expect(page.items.find((d) => d.id === id)?.importedAt).toBe(imported.importedAt);
  });

  it('refuses attempts that are not what an export holds, naming the line and the field', async () => {
    const [first] = readFileSync(join(t.dir, 'with-attempts.ndjson'), 'utf8').split('\n');
    const base = JSON.parse(first!) as ExportedDelivery;
    const attempt = base.attempts![0]!;
    const bad = [
      { ...base, attempts: [{ ...attempt, kind: 'teleport' }] },
      { ...base, attempts: [{ ...attempt, signing: { nested: true } }] },
      { ...base, attempts: [{ ...attempt, 'drop table': 1 }] },
      { ...base, attempts: 'none' },
      { ...base, attempts: [{ ...attempt, responseHeaders: [['a']] }] },
    ];
    const file = join(t.dir, 'bad-attempts.ndjson');
    writeFileSync(file, bad.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await runCli(['import', '--db', join(t.dir, 'bad-attempts.db'), file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad-attempts\.ndjson:1: attempts\[0\]\.kind must be one of send, replay, forward, check/);
    expect(r.stderr).toMatch(/:2: attempts\[0\]\.signing must be text, a number or null/);
    expect(r.stderr).toMatch(/:3: attempts\[0\] has a field "drop table" that no attempt column can have/);
    expect(r.stderr).toMatch(/:4: attempts must be a list/);
    expect(r.stderr).toMatch(/:5: attempts\[0\]\.responseHeaders must be a list/);
    expect(r.stdout).toMatch(/imported 0 deliveries .*; 5 line\(s\) skipped/);
  });
});
