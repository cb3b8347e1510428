// Deliveries table: batched insert (one transaction per group commit), listing, detail,
// facets, histogram, deletion and retention. Row shapes stay inside this folder.
import type { Db } from './db.ts';
import type { Statement } from 'better-sqlite3';
import type {
  BodyKind, DeliveryDetail, DeliverySummary, Facets, FacetCount, Finding, Histogram,
  SignatureDetail, SignatureVerdict, UserAgentVerdict,
} from '../protocol.ts';
import type { ParsedQuery } from '../query/parse.ts';
import { buildWhere as buildWhereSql, MAX_EXPANSION, NONE, type SqlWhere } from './where.ts';
import { CHUNK_BYTES, CODEC_DEFLATE_V1, compressChunk, decompressChunk, packEntry, readEntry } from './body-codec.ts';

/** What the receiver hands over for one request. */
export interface NewDelivery {
  receivedAt: number;
  method: string;
  path: string;
  query: string;
  remoteAddress: string | null;
  headers: [string, string][];
  body: Buffer;
  /** Bytes received, or the declared size of a refused body. */
  size: number;
  bodySha256: string;
  bodyKind: BodyKind;
  /** Body as text for free-text search, when it is UTF-8. */
  bodyText: string | null;
  contentType: string | null;
  category: string | null;
  categoryFacet: string | null;
  eventType: string | null;
  sensitivity: string | null;
  title: string | null;
  eventTime: string | null;
  signatureDetail: SignatureDetail;
  userAgent: UserAgentVerdict;
  userAgentValue: string | null;
  findings: Finding[];
  status: number;
  refused: string | null;
}

interface SummaryRow {
  id: number;
  received_at: number;
  method: string;
  path: string;
  category: string | null;
  category_facet: string | null;
  event_type: string | null;
  sensitivity: string | null;
  title: string | null;
  signature: SignatureVerdict;
  user_agent: UserAgentVerdict;
  size: number;
  status: number;
  body_kind: BodyKind;
  refused: string | null;
  finding_count: number;
  duplicate_of: number | null;
}

/**
 * Where a row's payload is: in a chunk entry, or (rows stored before chunks existed) in its
 * own columns.
 */
interface PayloadRef {
  headers: string;
  signature_detail: string;
  findings: string;
  body: Buffer;
  body_chunk: number | null;
  body_offset: number | null;
}

interface DetailRow extends SummaryRow, PayloadRef {
  query: string;
  remote_address: string | null;
  body_sha256: string;
  content_type: string | null;
  event_time: string | null;
  user_agent_value: string | null;
}

const SUMMARY_COLUMNS = `id, received_at, method, path, category, category_facet, event_type, sensitivity,
  title, signature, user_agent, size, status, body_kind, refused, finding_count, duplicate_of`;

/** The same columns, qualified, for a query that joins the free-text index. */

export function toSummary(r: SummaryRow): DeliverySummary {
  return {
    id: r.id,
    receivedAt: new Date(r.received_at).toISOString(),
    method: r.method,
    path: r.path,
    category: r.category,
    categoryFacet: r.category_facet,
    eventType: r.event_type,
    sensitivity: r.sensitivity,
    title: r.title,
    signature: r.signature,
    userAgent: r.user_agent,
    size: r.size,
    status: r.status,
    bodyKind: r.body_kind,
    refused: r.refused,
    findingCount: r.finding_count,
    duplicateOf: r.duplicate_of,
  };
}

/** The summary of a record just stored (what a read of its row gives, without reading it). */
export function summaryOf(r: NewDelivery, id: number, duplicateOf: number | null): DeliverySummary {
  return {
    id, receivedAt: new Date(r.receivedAt).toISOString(), method: r.method, path: r.path,
    category: r.category, categoryFacet: r.categoryFacet, eventType: r.eventType, sensitivity: r.sensitivity,
    title: r.title, signature: r.signatureDetail.verdict, userAgent: r.userAgent, size: r.size,
    status: r.status, bodyKind: r.bodyKind, refused: r.refused, findingCount: r.findings.length, duplicateOf,
  };
}

export interface ListOptions {
  limit: number;
  /** Only ids below this (newest-first paging). */
  before?: number;
}

export interface Stats {
  total: number;
  lastId: number;
  pruned: number;
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;

export function createDeliveryStore(db: Db, options: { maxDeliveries: number }) {
  const insert = db.prepare(`INSERT INTO deliveries (received_at, method, path, query, remote_address, headers,
    body, size, body_sha256, body_kind, content_type, category, category_facet, event_type, sensitivity, title,
    event_time, signature, signature_detail, user_agent, user_agent_value, findings, finding_count, status,
    refused, duplicate_of, body_chunk, body_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The key is built by SQLite (json_array), exactly as the delete trigger builds it.
  const addCounts = db.prepare(`INSERT INTO delivery_counts VALUES (json_array(?, ?, ?, ?, ?, ?, ?), ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n`);
  const addCount = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'count'");
  const insertChunk = db.prepare('INSERT INTO delivery_bodies (codec, data) VALUES (?, ?)');
  const chunkById = db.prepare('SELECT codec, data FROM delivery_bodies WHERE id = ?');
  const insertFts = db.prepare('INSERT INTO deliveries_fts (rowid, title, body) VALUES (?, ?, ?)');
  // The index holds 16 hex digits (64 bits) of the hash, a quarter of its size; the row
  // confirms the whole hash.
  const firstWithSha = db.prepare('SELECT id FROM deliveries WHERE substr(body_sha256, 1, 16) = ? AND body_sha256 = ? ORDER BY id LIMIT 1').pluck();
  // Kept exact in the same transaction as each insert (insertBatch) and delete (trigger),
  // whichever connection or process made it: no count(*) over a million rows.
  const countAll = db.prepare("SELECT value FROM meta WHERE key = 'count'").pluck();
  const maxId = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'), 0)").pluck();
  const prunedValue = db.prepare("SELECT value FROM meta WHERE key = 'pruned'").pluck();
  const addPruned = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'pruned'");
  const nthOldestId = db.prepare('SELECT id FROM deliveries ORDER BY id LIMIT 1 OFFSET ?').pluck();
  const deleteUpTo = db.prepare('DELETE FROM deliveries WHERE id <= ?');
  const detailById = db.prepare('SELECT * FROM deliveries WHERE id = ?');
  const deleteById = db.prepare('DELETE FROM deliveries WHERE id = ?');
  const rawById = db.prepare('SELECT body, body_chunk, body_offset, headers, signature_detail, findings, method, path, query FROM deliveries WHERE id = ?');

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

  const insertBatch = db.transaction((records: NewDelivery[]): DeliverySummary[] => {
    const out: DeliverySummary[] = [];
    const refs = storeChunks(records);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const ref = refs[i]!;
      const duplicateOf = r.size > 0 && r.refused === null ? ((firstWithSha.get(r.bodySha256.slice(0, 16), r.bodySha256) as number | undefined) ?? null) : null;
      const info = insert.run(
        r.receivedAt, r.method, r.path, r.query, r.remoteAddress, '',
        EMPTY, r.size, r.bodySha256, r.bodyKind, r.contentType, r.category, r.categoryFacet, r.eventType,
        r.sensitivity, r.title, r.eventTime, r.signatureDetail.verdict, '',
        r.userAgent, r.userAgentValue, '', r.findings.length, r.status, r.refused,
        duplicateOf, ref.chunk, ref.offset,
      );
      const id = Number(info.lastInsertRowid);
      if (r.title !== null || r.bodyText !== null) insertFts.run(id, r.title, r.bodyText);
      out.push(summaryOf(r, id, duplicateOf));
    }
    countInserted(records);
    pruneOverLimit();
    return out;
  });

  /** One counts update per distinct combination in the group, not one per row. */
  function countInserted(records: NewDelivery[]): void {
    const combos = new Map<string, { values: (string | null)[]; n: number }>();
    for (const r of records) {
      const values = [r.categoryFacet, r.eventType, r.sensitivity, r.signatureDetail.verdict, r.userAgent, r.path, r.method];
      const key = JSON.stringify(values);
      const combo = combos.get(key);
      if (combo) combo.n++;
      else combos.set(key, { values, n: 1 });
    }
    for (const { values, n } of combos.values()) addCounts.run(...values, ...values, n);
    addCount.run(records.length);
  }

  /** Retention: drop the oldest rows past the limit, and count them (never silent). */
  function pruneOverLimit(): number {
    const excess = (countAll.get() as number) - options.maxDeliveries;
    if (excess <= 0) return 0;
    const cutoff = nthOldestId.get(excess - 1) as number | undefined;
    if (cutoff === undefined) return 0;
    const removed = deleteUpTo.run(cutoff).changes;
    addPruned.run(removed);
    return removed;
  }

  // Statements for built SQL (filters vary; the same filter comes back many times: paging,
  // the stream's per-subscriber matching for every group). Least recently built goes first.
  const statements = new Map<string, Statement>();
  function statement(sql: string): Statement {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
      if (statements.size > 256) statements.delete(statements.keys().next().value!);
    }
    return st;
  }

  // Free-text prefixes as exact terms (see where.ts), read from the index's own term list
  // through an fts5vocab table in this connection's temp schema (nothing on disk).
  let vocab: { all(...params: unknown[]): unknown[] } | null | undefined;
  function expandPrefix(prefix: string): string[] | null {
    if (vocab === undefined) {
      try {
        db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.deliveries_fts_vocab USING fts5vocab(main, 'deliveries_fts', 'row')");
        vocab = db.prepare(`SELECT term FROM temp.deliveries_fts_vocab WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANSION + 1}`).pluck();
      } catch {
        vocab = null; // FTS5 answers the prefix itself
      }
    }
    if (!vocab) return null;
    const next = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    return vocab.all(prefix, next) as string[];
  }
  const buildWhere = (query: ParsedQuery, separateMatch = false): SqlWhere => buildWhereSql(query, { expandPrefix, separateMatch });

  // Decompressed chunks recently read: export, replay and forwarding read rows in id order,
  // so neighbours share the chunk just inflated.
  const chunkCache = new Map<number, Buffer>();
  function payloadOf(r: PayloadRef): { headers: string; signatureDetail: string; findings: string; body: Buffer } {
    if (r.body_chunk === null) return { headers: r.headers, signatureDetail: r.signature_detail, findings: r.findings, body: r.body };
    let data = chunkCache.get(r.body_chunk);
    if (!data) {
      const c = chunkById.get(r.body_chunk) as { codec: number; data: Buffer } | undefined;
      if (!c) throw new Error(`stored chunk ${r.body_chunk} is missing`);
      data = decompressChunk(c.codec, c.data);
      chunkCache.set(r.body_chunk, data);
      if (chunkCache.size > 8) chunkCache.delete(chunkCache.keys().next().value!);
    }
    const [headers, signatureDetail, findings, body] = readEntry(data, r.body_offset ?? 0, 4) as [Buffer, Buffer, Buffer, Buffer];
    return { headers: headers.toString('utf8'), signatureDetail: signatureDetail.toString('utf8'), findings: findings.toString('utf8'), body };
  }

  /**
   * Newest first. With free-text words the query walks the FTS index from its newest match
   * and stops at the page size, rather than collecting every match first; one read
   * transaction covers the prefix lookups and the page, so both see the same rows.
   */
  const list = db.transaction((query: ParsedQuery, opts: ListOptions): DeliverySummary[] => {
    const where = buildWhere(query, true);
    const params: unknown[] = [];
    let sql: string;
    if (where.match !== null) {
      // Ids first, reading only what the filter needs: a word combined with a filter that few
      // of its matches pass visits many rows, and loading every summary column of each
      // visited row made that three times slower. Then the page's summaries, by id.
      sql = `SELECT deliveries.id FROM deliveries_fts CROSS JOIN deliveries ON deliveries.id = deliveries_fts.rowid
        WHERE deliveries_fts MATCH ? AND ${where.sql}`;
      params.push(where.match, ...where.params);
      if (opts.before !== undefined) {
        sql += ' AND deliveries_fts.rowid < ?';
        params.push(opts.before);
      }
      sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (${sql} ORDER BY deliveries_fts.rowid DESC LIMIT ?) ORDER BY id DESC`;
    } else {
      sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${where.sql}`;
      params.push(...where.params);
      if (opts.before !== undefined) {
        sql += ' AND id < ?';
        params.push(opts.before);
      }
      sql += ' ORDER BY id DESC LIMIT ?';
    }
    params.push(opts.limit);
    return (statement(sql).all(...params) as SummaryRow[]).map(toSummary);
  });

  /** Oldest first after `since`: the stream's backlog and catch-up. */
  function listAfter(query: ParsedQuery, since: number, limit: number): DeliverySummary[] {
    const where = buildWhere(query);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id > ? AND ${where.sql} ORDER BY id LIMIT ?`;
    return (statement(sql).all(since, ...where.params, limit) as SummaryRow[]).map(toSummary);
  }

  /** Which of `ids` match the query (used to filter live broadcasts per subscriber). */
  function matchingIds(query: ParsedQuery, ids: number[]): Set<number> {
    if (ids.length === 0) return new Set();
    const where = buildWhere(query);
    const sql = `SELECT id FROM deliveries WHERE id IN (SELECT value FROM json_each(?)) AND ${where.sql}`;
    return new Set(statement(sql).pluck().all(JSON.stringify(ids), ...where.params) as number[]);
  }

  function get(id: number): Omit<DeliveryDetail, 'attempts'> | undefined {
    const r = detailById.get(id) as DetailRow | undefined;
    if (!r) return undefined;
    const payload = payloadOf(r);
    const body = payload.body;
    const bodyText = r.body_kind === 'binary' ? null : decodeUtf8(body);
    return {
      ...toSummary(r),
      query: r.query,
      headers: JSON.parse(payload.headers) as [string, string][],
      bodyText,
      bodyBase64: body.toString('base64'),
      bodySha256: r.body_sha256,
      contentType: r.content_type,
      remoteAddress: r.remote_address,
      eventTime: r.event_time,
      signatureDetail: JSON.parse(payload.signatureDetail) as SignatureDetail,
      userAgentValue: r.user_agent_value,
      findings: JSON.parse(payload.findings) as Finding[],
    };
  }

  /** Exact bytes and the headers they came with (for raw download and replay). */
  function getRaw(id: number): { body: Buffer; headers: [string, string][]; method: string; path: string; query: string } | undefined {
    const r = rawById.get(id) as (PayloadRef & { method: string; path: string; query: string }) | undefined;
    if (!r) return undefined;
    const payload = payloadOf(r);
    return { body: payload.body, headers: JSON.parse(payload.headers) as [string, string][], method: r.method, path: r.path, query: r.query };
  }

  /**
   * Counts per value of each facet under the filter, in one pass: the matching rows grouped
   * by every facet column at once, then summed per column here. Field filters (every facet
   * field is a column of delivery_counts) read the counts table: a few hundred rows, not a
   * million. Free-text words need the rows themselves, and read each matching row once.
   */
  function facets(query: ParsedQuery): Facets {
    const where = buildWhere(query);
    const fromCounts = query.words.length === 0;
    // The counts table is grouped already (by one more column, method): its rows are summed as they are.
    const sql = fromCounts
      ? `SELECT ${FACET_COLUMNS.join(', ')}, n FROM delivery_counts WHERE ${where.sql}`
      : `SELECT ${FACET_COLUMNS.join(', ')}, count(*) FROM deliveries WHERE ${where.sql} GROUP BY ${FACET_COLUMNS.join(', ')}`;
    const rows = statement(sql).raw().all(...where.params) as (string | number | null)[][];
    let total = 0;
    const sums = FACET_COLUMNS.map(() => new Map<string | null, number>());
    for (const row of rows) {
      const n = row[FACET_COLUMNS.length] as number;
      if (n <= 0) continue;
      total += n;
      for (let c = 0; c < FACET_COLUMNS.length; c++) {
        const value = row[c] as string | null;
        sums[c]!.set(value, (sums[c]!.get(value) ?? 0) + n);
      }
    }
    const top = (c: number): FacetCount[] =>
      [...sums[c]!].sort(byCountThenValue).slice(0, 100).map(([value, count]) => ({ value: value ?? NONE, count }));
    return { total, category: top(0), eventType: top(1), sensitivity: top(2), signature: top(3), userAgent: top(4), path: top(5) };
  }

  function histogram(query: ParsedQuery, buckets = 60): Histogram {
    const where = buildWhere(query);
    const range = db.prepare(`SELECT min(received_at) AS lo, max(received_at) AS hi FROM deliveries WHERE ${where.sql}`)
      .get(...where.params) as { lo: number | null; hi: number | null };
    if (range.lo === null || range.hi === null) return { bucketMs: 60_000, buckets: [] };
    const span = Math.max(range.hi - range.lo, 1);
    const bucketMs = niceBucket(span / buckets);
    const rows = db.prepare(`SELECT CAST(received_at / ? AS INTEGER) * ? AS start, coalesce(category_facet, ?) AS facet, count(*) AS n
      FROM deliveries WHERE ${where.sql} GROUP BY start, facet ORDER BY start`)
      .all(bucketMs, bucketMs, NONE, ...where.params) as { start: number; facet: string; n: number }[];
    const byStart = new Map<number, Record<string, number>>();
    for (const r of rows) {
      const counts = byStart.get(r.start) ?? {};
      counts[r.facet] = r.n;
      byStart.set(r.start, counts);
    }
    return { bucketMs, buckets: [...byStart].map(([start, counts]) => ({ start, counts })) };
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

  function stats(): Stats {
    return { total: countAll.get() as number, lastId: maxId.get() as number, pruned: prunedValue.get() as number };
  }

  /** The count is read from the database each time (kept exact by triggers); nothing to refresh. */
  function refreshCount(): void {}

  return { insertBatch, list, listAfter, matchingIds, get, getRaw, facets, histogram, remove, removeMatching, stats, refreshCount, maxDeliveries: options.maxDeliveries };
}

const EMPTY = Buffer.alloc(0);

const FACET_COLUMNS = ['category_facet', 'event_type', 'sensitivity', 'signature', 'user_agent', 'path'] as const;

/** Most first; ties in SQLite's own order (missing first, then UTF-8 bytes), as ORDER BY count DESC, value gave. */
function byCountThenValue(a: [string | null, number], b: [string | null, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  if (a[0] === b[0]) return 0;
  if (a[0] === null) return -1;
  if (b[0] === null) return 1;
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** The body as text when it is valid UTF-8 (a BOM is kept as a character), else null. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function niceBucket(ms: number): number {
  const steps = [1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000];
  return steps.find((s) => s >= ms) ?? 86_400_000 * Math.ceil(ms / 86_400_000);
}
