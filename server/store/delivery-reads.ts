// Reads of the deliveries table: newest-first pages (with free text), the stream's
// backlog and per-subscriber matching, one delivery's detail and exact bytes, and stats.
import type { Db } from './db.ts';
import type { DeliveryDetail, DeliverySummary, Finding, SignatureDetail } from '../common/protocol.ts';
import type { ParsedQuery } from '../common/query.ts';
import { decompressChunk, readEntry } from './body-codec.ts';
import { decodeUtf8 } from '../delivery/new-delivery.ts';
import { SUMMARY_COLUMNS, toSummary, type DetailRow, type PayloadRef, type SummaryRow } from './delivery-rows.ts';
import type { DeliverySql } from './delivery-sql.ts';

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

export function createDeliveryReads(db: Db, built: DeliverySql) {
  const { statement, buildWhere, total } = built;
  const chunkById = db.prepare('SELECT codec, data FROM delivery_bodies WHERE id = ?');
  const maxId = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'), 0)").pluck();
  const prunedValue = db.prepare("SELECT value FROM meta WHERE key = 'pruned'").pluck();
  const detailById = db.prepare('SELECT * FROM deliveries WHERE id = ?');
  const rawById = db.prepare('SELECT body, body_chunk, body_offset, headers, signature_detail, findings, method, path, query, received_at, body_sha256 FROM deliveries WHERE id = ?');

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

  /** Exact bytes and the headers they came with (for raw download, replay and the SIEM mappings). */
  function getRaw(id: number): { body: Buffer; headers: [string, string][]; method: string; path: string; query: string; receivedAt: string; bodySha256: string } | undefined {
    const r = rawById.get(id) as (PayloadRef & { method: string; path: string; query: string; received_at: number; body_sha256: string }) | undefined;
    if (!r) return undefined;
    const payload = payloadOf(r);
    return {
      body: payload.body, headers: JSON.parse(payload.headers) as [string, string][], method: r.method, path: r.path, query: r.query,
      receivedAt: new Date(r.received_at).toISOString(), bodySha256: r.body_sha256,
    };
  }

  function stats(): Stats {
    return { total: total(), lastId: maxId.get() as number, pruned: prunedValue.get() as number };
  }

  return { list, listAfter, matchingIds, get, getRaw, stats };
}
