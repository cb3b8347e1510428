// Writes to the deliveries table: the group commit (rows, payload chunks, free-text index,
// counts and retention in one transaction) and deletions.
import type { Db } from './db.ts';
import type { DeliverySummary } from '../common/protocol.ts';
import type { ParsedQuery } from '../common/query.ts';
import { CHUNK_BYTES, CODEC_DEFLATE_V1, compressChunk, packEntry } from './body-codec.ts';
import { summaryOf } from './delivery-rows.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { DeliverySql } from './delivery-sql.ts';
import { comboValues, createHistogramWrites } from './delivery-histogram.ts';
import { createTimeBounds } from './time-bounds.ts';
import { createRollUp } from './rollup.ts';
import { createTitleKeyRollUp } from './title-keys.ts';
import { createStaleFts } from './fts-stale.ts';

const EMPTY = Buffer.alloc(0);

/** What a group commit gives back per row, in order: its id and the row it duplicates (or null). */
export interface StoredRows {
  ids: number[];
  duplicates: (number | null)[];
}

export function createDeliveryWrites(db: Db, built: DeliverySql, options: { maxDeliveries: number }) {
  const { buildWhere, total } = built;
  const insert = db.prepare(`INSERT INTO deliveries (received_at, method, path, query, remote_address, headers,
    body, size, body_sha256, body_kind, content_type, category, category_facet, event_type, sensitivity, title,
    event_time, signature, signature_detail, user_agent, user_agent_value, findings, finding_count, status,
    refused, duplicate_of, body_chunk, body_offset, link_key, title_key, combo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The key is built by SQLite (json_array), exactly as the delete trigger builds it.
  const addCounts = db.prepare(`INSERT INTO delivery_counts VALUES (json_array(?, ?, ?, ?, ?, ?, ?), ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n`);
  const addCount = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'count'");
  const histogram = createHistogramWrites(db);
  const staleFts = createStaleFts(db);
  const rollUp = createRollUp(db, [histogram.addRange, createTitleKeyRollUp(db)]);
  const timeBounds = createTimeBounds(db);
  const insertChunk = db.prepare('INSERT INTO delivery_bodies (codec, data) VALUES (?, ?)');
  const insertFts = db.prepare('INSERT INTO deliveries_fts (rowid, title, body) VALUES (?, ?, ?)');
  // The first delivery with the same bytes. Rows with an event link are found through
  // link_key (same bytes means same link); the hash index holds only rows without one
  // (see migrations.ts), 16 hex digits (64 bits) of the hash, and the row confirms the whole hash.
  const firstWithSha = db.prepare(`SELECT id FROM deliveries WHERE substr(body_sha256, 1, 16) = ? AND body_sha256 = ?
    AND link_key IS NULL ORDER BY id LIMIT 1`).pluck();
  const firstWithLink = db.prepare('SELECT id FROM deliveries WHERE link_key = ? AND body_sha256 = ? ORDER BY id LIMIT 1').pluck();
  function firstSameBody(r: NewDelivery): number | null {
    const unlinked = firstWithSha.get(r.bodySha256.slice(0, 16), r.bodySha256) as number | undefined;
    // Rows stored before link keys existed have none, whatever their body: both lookups.
    const linked = r.linkKey == null ? undefined : (firstWithLink.get(r.linkKey, r.bodySha256) as number | undefined);
    if (unlinked === undefined) return linked ?? null;
    return linked === undefined ? unlinked : Math.min(linked, unlinked);
  }
  const addPruned = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'pruned'");
  const nthOldestId = db.prepare('SELECT id FROM deliveries ORDER BY id LIMIT 1 OFFSET ?').pluck();
  const deleteUpTo = db.prepare('DELETE FROM deliveries WHERE id <= ?');
  const deleteById = db.prepare('DELETE FROM deliveries WHERE id = ?');

  /**
   * What only the detail view reads (headers, signature detail, findings, body) goes to
   * chunks: consecutive entries of the group, up to CHUNK_BYTES each, compressed together.
   * The row keeps what lists, filters and counts use.
   */
  function storeChunks(records: NewDelivery[]): { chunk: number; offset: number }[] {
    const refs: { chunk: number; offset: number }[] = [];
    let entries: Buffer[] = [];
    let bytes = 0;
    const flushChunk = () => {
      if (entries.length === 0) return;
      const chunk = Number(insertChunk.run(CODEC_DEFLATE_V1, compressChunk(entries)).lastInsertRowid);
      let offset = 0;
      for (const e of entries) {
        refs.push({ chunk, offset });
        offset += e.length;
      }
      entries = [];
      bytes = 0;
    };
    for (const r of records) {
      const entry = packEntry([
        Buffer.from(JSON.stringify(r.headers)), Buffer.from(JSON.stringify(r.signatureDetail)), Buffer.from(JSON.stringify(r.findings)), r.body,
      ]);
      if (bytes > 0 && bytes + entry.length > CHUNK_BYTES) flushChunk();
      entries.push(entry);
      bytes += entry.length;
    }
    flushChunk();
    return refs;
  }

  const insertGroup = db.transaction((records: NewDelivery[]): StoredRows => {
    const stored: StoredRows = { ids: [], duplicates: [] };
    const refs = storeChunks(records);
    // The seven filterable values of each row, and their key, once for counts and buckets.
    const values = records.map(comboValues);
    const keys = values.map((v) => JSON.stringify(v));
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const ref = refs[i]!;
      const duplicateOf = r.size > 0 && r.refused === null ? firstSameBody(r) : null;
      const info = insert.run(
        r.receivedAt, r.method, r.path, r.query, r.remoteAddress, '',
        EMPTY, r.size, r.bodySha256, r.bodyKind, r.contentType, r.category, r.categoryFacet, r.eventType,
        r.sensitivity, r.title, r.eventTime, r.signatureDetail.verdict, '',
        r.userAgent, r.userAgentValue, '', r.findings.length, r.status, r.refused,
        duplicateOf, ref.chunk, ref.offset, r.linkKey ?? null, r.titleKey ?? null, histogram.comboOf(keys[i]!, values[i]!),
      );
      const id = Number(info.lastInsertRowid);
      if (r.title !== null || r.bodyText !== null) insertFts.run(id, r.title, r.bodyText);
      stored.ids.push(id);
      stored.duplicates.push(duplicateOf);
    }
    countInserted(records, values, keys);
    rollUp.noteInserted(records.length);
    timeBounds.noteInserted(records.map((r) => r.receivedAt));
    pruneOverLimit();
    return stored;
  });

  /** Store a group in one transaction: each row's id and the first same-body row it duplicates. */
  function insertRows(records: NewDelivery[]): StoredRows {
    try {
      return insertGroup(records);
    } catch (err) {
      histogram.forget(); // combination ids learned in the rolled-back transaction are gone
      throw err;
    }
  }

  /** insertRows, answered as summaries (the writer thread, which needs only the ids, calls insertRows). */
  function insertBatch(records: NewDelivery[]): DeliverySummary[] {
    const { ids, duplicates } = insertRows(records);
    return records.map((r, i) => summaryOf(r, ids[i]!, duplicates[i]!));
  }

  /** One counts update per distinct combination in the group, not one per row. */
  function countInserted(records: NewDelivery[], values: (string | null)[][], keys: string[]): void {
    const combos = new Map<string, { values: (string | null)[]; n: number }>();
    for (let i = 0; i < records.length; i++) {
      const combo = combos.get(keys[i]!);
      if (combo) combo.n++;
      else combos.set(keys[i]!, { values: values[i]!, n: 1 });
    }
    for (const { values: v, n } of combos.values()) addCounts.run(...v, ...v, n);
    addCount.run(records.length);
  }

  /** Retention: drop the oldest rows past the limit, and count them (never silent). */
  function pruneOverLimit(): number {
    const excess = total() - options.maxDeliveries;
    if (excess <= 0) return 0;
    const cutoff = nthOldestId.get(excess - 1) as number | undefined;
    if (cutoff === undefined) return 0;
    staleFts.deferUpTo(cutoff); // their full-text entries leave later (fts-stale.ts)
    const removed = deleteUpTo.run(cutoff).changes;
    addPruned.run(removed);
    return removed;
  }

  function remove(id: number): boolean {
    return deleteById.run(id).changes > 0;
  }

  /** Delete every delivery matching the query (empty query: all). Returns the ids removed. */
  function removeMatching(query: ParsedQuery): number[] {
    const where = buildWhere(query);
    const run = db.transaction(() => {
      const ids = db.prepare(`SELECT id FROM deliveries WHERE ${where.sql}`).pluck().all(...where.params) as number[];
      if (where.sql === '1') db.prepare('DELETE FROM deliveries').run();
      else db.prepare(`DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(ids));
      return ids;
    });
    return run();
  }

  return {
    insertRows, insertBatch, remove, removeMatching,
    /** Roll the rows past the mark up (rollup.ts): the writer when idle, import at its end. */
    rollUp: (): number => rollUp.rollUp(),
    /** Remove up to `limit` pruned rows' full-text entries (fts-stale.ts): the writer when idle. */
    cleanStaleFts: (limit: number): number => staleFts.clean(limit),
    staleFtsPending: (): number => staleFts.pending(),
  };
}
