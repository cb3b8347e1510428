// Deliveries table: batched insert (one transaction per group commit), listing, detail,
// facets, histogram, deletion and retention. Row shapes stay inside this folder.
import type { Db } from './db.ts';
import type {
  BodyKind, DeliveryDetail, DeliverySummary, Facets, FacetCount, Finding, Histogram,
  SignatureDetail, SignatureVerdict, UserAgentVerdict,
} from '../protocol.ts';
import type { ParsedQuery } from '../query/parse.ts';
import { buildWhere, NONE } from './where.ts';

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

interface DetailRow extends SummaryRow {
  query: string;
  remote_address: string | null;
  headers: string;
  body: Buffer;
  body_sha256: string;
  content_type: string | null;
  event_time: string | null;
  signature_detail: string;
  user_agent_value: string | null;
  findings: string;
}

const SUMMARY_COLUMNS = `id, received_at, method, path, category, category_facet, event_type, sensitivity,
  title, signature, user_agent, size, status, body_kind, refused, finding_count, duplicate_of`;

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
    refused, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertFts = db.prepare('INSERT INTO deliveries_fts (rowid, title, body) VALUES (?, ?, ?)');
  const firstWithSha = db.prepare('SELECT id FROM deliveries WHERE body_sha256 = ? ORDER BY id LIMIT 1').pluck();
  const countAll = db.prepare('SELECT count(*) FROM deliveries').pluck();
  const maxId = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'), 0)").pluck();
  const prunedValue = db.prepare("SELECT value FROM meta WHERE key = 'pruned'").pluck();
  const addPruned = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'pruned'");
  const nthOldestId = db.prepare('SELECT id FROM deliveries ORDER BY id LIMIT 1 OFFSET ?').pluck();
  const deleteUpTo = db.prepare('DELETE FROM deliveries WHERE id <= ?');
  const detailById = db.prepare('SELECT * FROM deliveries WHERE id = ?');
  const deleteById = db.prepare('DELETE FROM deliveries WHERE id = ?');

  // Row count kept in memory: count(*) over 1M rows on every insert would cost more than the insert.
  let total = countAll.get() as number;

  const insertBatch = db.transaction((records: NewDelivery[]): DeliverySummary[] => {
    const out: DeliverySummary[] = [];
    for (const r of records) {
      const duplicateOf = r.size > 0 && r.refused === null ? ((firstWithSha.get(r.bodySha256) as number | undefined) ?? null) : null;
      const info = insert.run(
        r.receivedAt, r.method, r.path, r.query, r.remoteAddress, JSON.stringify(r.headers),
        r.body, r.size, r.bodySha256, r.bodyKind, r.contentType, r.category, r.categoryFacet, r.eventType,
        r.sensitivity, r.title, r.eventTime, r.signatureDetail.verdict, JSON.stringify(r.signatureDetail),
        r.userAgent, r.userAgentValue, JSON.stringify(r.findings), r.findings.length, r.status, r.refused,
        duplicateOf,
      );
      const id = Number(info.lastInsertRowid);
      if (r.title !== null || r.bodyText !== null) insertFts.run(id, r.title, r.bodyText);
      out.push({
        id, receivedAt: new Date(r.receivedAt).toISOString(), method: r.method, path: r.path,
        category: r.category, categoryFacet: r.categoryFacet, eventType: r.eventType, sensitivity: r.sensitivity,
        title: r.title, signature: r.signatureDetail.verdict, userAgent: r.userAgent, size: r.size,
        status: r.status, bodyKind: r.bodyKind, refused: r.refused, findingCount: r.findings.length, duplicateOf,
      });
    }
    total += records.length;
    pruneOverLimit();
    return out;
  });

  /** Retention: drop the oldest rows past the limit, and count them (never silent). */
  function pruneOverLimit(): number {
    const excess = total - options.maxDeliveries;
    if (excess <= 0) return 0;
    const cutoff = nthOldestId.get(excess - 1) as number | undefined;
    if (cutoff === undefined) return 0;
    const removed = deleteUpTo.run(cutoff).changes;
    total -= removed;
    addPruned.run(removed);
    return removed;
  }

  function list(query: ParsedQuery, opts: ListOptions): DeliverySummary[] {
    const where = buildWhere(query);
    const params = [...where.params];
    let sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${where.sql}`;
    if (opts.before !== undefined) {
      sql += ' AND id < ?';
      params.push(opts.before);
    }
    sql += ' ORDER BY id DESC LIMIT ?';
    params.push(opts.limit);
    return (db.prepare(sql).all(...params) as SummaryRow[]).map(toSummary);
  }

  /** Oldest first after `since`: the stream's backlog and catch-up. */
  function listAfter(query: ParsedQuery, since: number, limit: number): DeliverySummary[] {
    const where = buildWhere(query);
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id > ? AND ${where.sql} ORDER BY id LIMIT ?`;
    return (db.prepare(sql).all(since, ...where.params, limit) as SummaryRow[]).map(toSummary);
  }

  /** Which of `ids` match the query (used to filter live broadcasts per subscriber). */
  function matchingIds(query: ParsedQuery, ids: number[]): Set<number> {
    if (ids.length === 0) return new Set();
    const where = buildWhere(query);
    const sql = `SELECT id FROM deliveries WHERE id IN (SELECT value FROM json_each(?)) AND ${where.sql}`;
    return new Set(db.prepare(sql).pluck().all(JSON.stringify(ids), ...where.params) as number[]);
  }

  function get(id: number): Omit<DeliveryDetail, 'attempts'> | undefined {
    const r = detailById.get(id) as DetailRow | undefined;
    if (!r) return undefined;
    const bodyText = r.body_kind === 'binary' ? null : decodeUtf8(r.body);
    return {
      ...toSummary(r),
      query: r.query,
      headers: JSON.parse(r.headers) as [string, string][],
      bodyText,
      bodyBase64: r.body.toString('base64'),
      bodySha256: r.body_sha256,
      contentType: r.content_type,
      remoteAddress: r.remote_address,
      eventTime: r.event_time,
      signatureDetail: JSON.parse(r.signature_detail) as SignatureDetail,
      userAgentValue: r.user_agent_value,
      findings: JSON.parse(r.findings) as Finding[],
    };
  }

  /** Exact bytes and the headers they came with (for raw download and replay). */
  function getRaw(id: number): { body: Buffer; headers: [string, string][]; method: string; path: string; query: string } | undefined {
    const r = db.prepare('SELECT body, headers, method, path, query FROM deliveries WHERE id = ?').get(id) as
      | { body: Buffer; headers: string; method: string; path: string; query: string }
      | undefined;
    return r && { body: r.body, headers: JSON.parse(r.headers) as [string, string][], method: r.method, path: r.path, query: r.query };
  }

  function facets(query: ParsedQuery): Facets {
    const where = buildWhere(query);
    const count = (column: string): FacetCount[] =>
      (db.prepare(`SELECT ${column} AS value, count(*) AS count FROM deliveries WHERE ${where.sql}
        GROUP BY ${column} ORDER BY count DESC, value LIMIT 100`).all(...where.params) as { value: string | null; count: number }[])
        .map((r) => ({ value: r.value ?? NONE, count: r.count }));
    const totalMatching = db.prepare(`SELECT count(*) FROM deliveries WHERE ${where.sql}`).pluck().get(...where.params) as number;
    return {
      total: totalMatching,
      category: count('category_facet'),
      eventType: count('event_type'),
      sensitivity: count('sensitivity'),
      signature: count('signature'),
      userAgent: count('user_agent'),
      path: count('path'),
    };
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
    const changed = deleteById.run(id).changes > 0;
    if (changed) total -= 1;
    return changed;
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
    const ids = run();
    total -= ids.length;
    return ids;
  }

  function stats(): Stats {
    return { total, lastId: maxId.get() as number, pruned: prunedValue.get() as number };
  }

  /** Re-read the row count (after another process changed the database). */
  function refreshCount(): void {
    total = countAll.get() as number;
  }

  return { insertBatch, list, listAfter, matchingIds, get, getRaw, facets, histogram, remove, removeMatching, stats, refreshCount, maxDeliveries: options.maxDeliveries };
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
