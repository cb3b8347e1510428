// Importing deliveries: which lines are already in the database (so importing one file
// twice adds nothing), and storing the rest with their attempts, marked as imported, in one
// transaction per batch.
import type { Db } from './db.ts';
import type { DeliverySummary, ExportedAttempt } from '../common/protocol.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { DeliveryStore } from './deliveries.ts';
import { createAttemptTransfer } from './attempt-transfer.ts';

export interface ImportItem {
  record: NewDelivery;
  attempts: readonly ExportedAttempt[];
}

export type DeliveryImport = ReturnType<typeof createDeliveryImport>;

/**
 * A delivery's identity across databases (ids differ): its arrival time to the millisecond,
 * body hash, method, path, query and headers in order. Only rows stored before this import
 * began count, so two equal lines of one file are both kept, as they were in the source.
 */
export function createDeliveryImport(db: Db, deliveries: Pick<DeliveryStore, 'insertBatch' | 'get' | 'stats'>) {
  const before = deliveries.stats().lastId;
  const attempts = createAttemptTransfer(db);
  // As delivery-writes.ts finds a same-body row: rows with an event link by link_key, the
  // rest by the hash index (its first 16 hex digits, WHERE link_key IS NULL); the row
  // confirms the whole hash and the time.
  const unlinked = db.prepare(`SELECT id, method, path, query FROM deliveries
    WHERE substr(body_sha256, 1, 16) = ? AND body_sha256 = ? AND link_key IS NULL AND received_at = ? AND id <= ?`);
  const linked = db.prepare(`SELECT id, method, path, query FROM deliveries
    WHERE link_key = ? AND body_sha256 = ? AND received_at = ? AND id <= ?`);
  const markImported = db.prepare('UPDATE deliveries SET imported_at = ? WHERE id >= ? AND id <= ?');

  /** The id of a delivery stored before this import with the same identity as `r`, or null. */
  function findExisting(r: NewDelivery): number | null {
    type Candidate = { id: number; method: string; path: string; query: string };
    const rows = [
      ...(unlinked.all(r.bodySha256.slice(0, 16), r.bodySha256, r.receivedAt, before) as Candidate[]),
      // Rows stored before link keys existed have none: they are among the unlinked above.
      ...(r.linkKey == null ? [] : (linked.all(r.linkKey, r.bodySha256, r.receivedAt, before) as Candidate[])),
    ];
    const headers = JSON.stringify(r.headers);
    for (const c of rows) {
      if (c.method !== r.method || c.path !== r.path || c.query !== r.query) continue;
      const stored = deliveries.get(c.id);
      if (stored && JSON.stringify(stored.headers) === headers) return c.id;
    }
    return null;
  }

  const storeGroup = db.transaction((items: readonly ImportItem[], importedAt: number): { stored: DeliverySummary[]; attempts: number } => {
    const stored = deliveries.insertBatch(items.map((i) => i.record));
    if (stored.length === 0) return { stored, attempts: 0 };
    markImported.run(importedAt, stored[0]!.id, stored[stored.length - 1]!.id);
    let count = 0;
    stored.forEach((s, i) => { count += attempts.importAttempts(s.id, items[i]!.attempts); });
    return { stored: stored.map((s) => ({ ...s, importedAt: new Date(importedAt).toISOString() })), attempts: count };
  });

  return {
    findExisting,
    /** Store a batch: deliveries, their attempts and the import mark commit together. */
    store: (items: readonly ImportItem[], importedAt = Date.now()) => storeGroup.immediate(items, importedAt),
  };
}
