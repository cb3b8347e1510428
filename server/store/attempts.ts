// Attempts table: every outbound request the sender made for a delivery (send, replay,
// forward, check), so the UI can show a delivery's replay history.
import type { Db } from './db.ts';
import type { Attempt, AttemptSent } from '../common/protocol.ts';

/** `sent` left out: nothing known about what was sent (stored as NULL). */
export type NewAttempt = Omit<Attempt, 'id' | 'sent'> & { deliveryId: number; sent?: AttemptSent | null };

interface AttemptRow {
  id: number;
  delivery_id: number;
  kind: Attempt['kind'];
  target: string;
  status: number | null;
  ok: number;
  duration_ms: number;
  error: string | null;
  at: number;
  response_headers: string;
  response_body: string | null;
  signing: AttemptSent['signing'] | null;
  format: AttemptSent['format'] | null;
  edited_body: string | null;
  edited_sha256: string | null;
}

export type AttemptStore = ReturnType<typeof createAttemptStore>;

export function createAttemptStore(db: Db) {
  const insert = db.prepare(`INSERT INTO attempts (delivery_id, kind, target, status, ok, duration_ms, error, at,
    response_headers, response_body, signing, format, edited_body, edited_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byDelivery = db.prepare('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id');
  const exists = db.prepare('SELECT 1 FROM deliveries WHERE id = ?').pluck();
  const after = db.prepare('SELECT * FROM attempts WHERE id > ? ORDER BY id LIMIT ?');
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM attempts').pluck();
  const idsAfterStatement = db.prepare('SELECT id FROM attempts WHERE id > ? ORDER BY id LIMIT ?').pluck();
  const byIds = db.prepare('SELECT * FROM attempts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id');
  // The latest replay / forward outcome on the delivery's row, so replay:failed is indexed.
  const setReplay = db.prepare('UPDATE deliveries SET replay_outcome = ?, replay_status = ? WHERE id = ?');
  const setForward = db.prepare('UPDATE deliveries SET forward_outcome = ?, forward_status = ? WHERE id = ?');

  const insertAttempt = db.transaction((a: NewAttempt): number | undefined => {
    if (!exists.get(a.deliveryId)) return undefined;
    const info = insert.run(a.deliveryId, a.kind, a.target, a.status, a.ok ? 1 : 0, a.durationMs, a.error,
      Date.parse(a.at), JSON.stringify(a.responseHeaders), a.responseBody,
      a.sent?.signing ?? null, a.sent?.format ?? null, a.sent?.editedBody ?? null, a.sent?.editedSha256 ?? null);
    const latest = a.kind === 'replay' ? setReplay : a.kind === 'forward' ? setForward : null;
    latest?.run(a.ok ? 'ok' : 'failed', a.status, a.deliveryId);
    return Number(info.lastInsertRowid);
  });

  /** Many attempts in one transaction: each one's id, or null when its delivery is gone. */
  const insertAttempts = db.transaction((list: readonly NewAttempt[]): (number | null)[] => list.map((a) => insertAttempt(a) ?? null));

  /** Record an attempt; returns it with its id, or undefined when the delivery is gone. */
  function record(a: NewAttempt): Attempt | undefined {
    // IMMEDIATE: take the write lock first (waiting busy_timeout for the writer thread); a
    // deferred transaction that read first cannot wait for it and fails "database is locked".
    const id = insertAttempt.immediate(a);
    if (id === undefined) return undefined;
    const { deliveryId: _omit, sent, ...rest } = a;
    return { id, ...rest, sent: sent ?? null };
  }

  const toAttempt = (r: AttemptRow): Attempt => ({
    id: r.id,
    kind: r.kind,
    target: r.target,
    status: r.status,
    ok: r.ok === 1,
    durationMs: r.duration_ms,
    error: r.error,
    at: new Date(r.at).toISOString(),
    responseHeaders: JSON.parse(r.response_headers) as [string, string][],
    responseBody: r.response_body,
    sent: r.signing === null ? null : {
      signing: r.signing, format: r.format ?? 'soveren', editedBody: r.edited_body, editedSha256: r.edited_sha256,
    },
  });

  function list(deliveryId: number): Attempt[] {
    return (byDelivery.all(deliveryId) as AttemptRow[]).map(toAttempt);
  }

  /** Attempts recorded after `id`, oldest first, whoever recorded them (the `replay` CLI too). */
  function listAfter(id: number, limit: number): { deliveryId: number; attempt: Attempt }[] {
    return (after.all(id, limit) as AttemptRow[]).map((r) => ({ deliveryId: r.delivery_id, attempt: toAttempt(r) }));
  }

  /** Ids of the attempts recorded after `id`, oldest first (the primary key only: no row is read). */
  function idsAfter(id: number, limit: number): number[] {
    return idsAfterStatement.all(id, limit) as number[];
  }

  /** These attempts (ids in ascending order), with their deliveries. */
  function listIds(ids: readonly number[]): { deliveryId: number; attempt: Attempt }[] {
    return (byIds.all(JSON.stringify(ids)) as AttemptRow[]).map((r) => ({ deliveryId: r.delivery_id, attempt: toAttempt(r) }));
  }

  return {
    record, recordBatch: (list: readonly NewAttempt[]) => insertAttempts.immediate(list), list, listAfter, idsAfter, listIds, lastId: () => maxId.get() as number,
  };
}
