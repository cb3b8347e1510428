// The outputs store: what the SIEM sinks received, one row per item, linked to the delivery it
// came from inside the same transaction as its insert (output-links.ts: event id, then title +
// second, then body hash, one indexed query per rule per group). Retention follows
// --max-deliveries, counted like deliveries'.
import type { Db } from './db.ts';
import type { OutputDetail, OutputLinkRule, OutputSummary, SinkKind } from '../common/protocol.ts';
import { decodeUtf8 } from '../delivery/new-delivery.ts';
import { createOutputLinker, linkNoteOf, type LinkCandidates } from './output-links.ts';

/** What a sink hands over for one item (with its correlation candidates, found when it was parsed). */
export interface NewOutput extends LinkCandidates {
  receivedAt: number;
  sink: SinkKind;
  transport: 'http' | 'tcp' | 'udp';
  method: string | null;
  path: string;
  remoteAddress: string | null;
  /** JSON [[name, value], ...], credentials already redacted (one string per request, shared by its items). */
  headers: string;
  body: Buffer;
  bodySha256: string;
  /** JSON text of what the sink parsed; '' when it is the body's own text (a document, an HEC event). */
  fields: string;
  summary: Record<string, string>;
  /** `summary` as JSON text, as stored (built with the output, off the writer thread). */
  summaryJson: string;
  title: string | null;
  eventType: string | null;
  eventTime: number | null;
}

interface OutputRow {
  id: number;
  received_at: number;
  sink: SinkKind;
  transport: string;
  path: string;
  delivery_id: number | null;
  link_rule: OutputLinkRule | null;
  link_note: string | null;
  title: string | null;
  event_type: string | null;
  event_time: number | null;
  size: number;
  summary: string;
}

const SUMMARY_COLUMNS = `id, received_at, sink, transport, path, delivery_id, link_rule, link_note, title, event_type,
  event_time, length(body) AS size, summary`;

export interface OutputQuery {
  sink?: SinkKind;
  /** true: linked only; false: unmatched only. */
  linked?: boolean;
  deliveryId?: number;
  words: string[];
}

function toSummary(r: OutputRow): OutputSummary {
  return {
    id: r.id, sink: r.sink, receivedAt: new Date(r.received_at).toISOString(), transport: r.transport, path: r.path,
    deliveryId: r.delivery_id, linkRule: r.link_rule, linkNote: r.link_note, title: r.title, eventType: r.event_type,
    eventTime: r.event_time === null ? null : new Date(r.event_time).toISOString(), size: r.size,
    summary: JSON.parse(r.summary) as Record<string, string>,
  };
}

/** What the commit decided for one output: its id and the delivery it links to. */
export interface StoredLink {
  id: number;
  deliveryId: number | null;
  rule: OutputLinkRule | null;
  note: string;
  /** Which event id matched (event_link): the note can be rebuilt from the record and the rule. */
  eventIndex?: number;
}

/** The summary of a stored output, from what was handed over and what the commit decided. */
export function outputSummaryOf(o: Omit<NewOutput, 'body'> & { body?: Buffer }, link: StoredLink, size: number): OutputSummary {
  return {
    id: link.id, sink: o.sink, receivedAt: new Date(o.receivedAt).toISOString(), transport: o.transport, path: o.path,
    deliveryId: link.deliveryId, linkRule: link.rule, linkNote: link.note, title: o.title, eventType: o.eventType,
    eventTime: o.eventTime === null ? null : new Date(o.eventTime).toISOString(), size, summary: o.summary,
  };
}

export type OutputStore = ReturnType<typeof createOutputStore>;

const ROWS_PER_INSERT = 16;

export function createOutputStore(db: Db, options: { maxOutputs: number }) {
  // Rows go in ROWS_PER_INSERT at a time: one statement (and one sqlite_sequence update) per
  // chunk instead of per row. AUTOINCREMENT numbers the rows of one statement consecutively,
  // so the chunk's last id gives every id.
  const COLUMNS = 17;
  const insertSql = (rows: number) => `INSERT INTO outputs (received_at, sink, transport, method, path, remote_address, headers,
    body, body_sha256, fields, title, event_type, event_time, delivery_id, link_rule, link_note, summary)
    VALUES ${Array.from({ length: rows }, () => `(${'?, '.repeat(COLUMNS - 1)}?)`).join(', ')}`;
  const insertFull = db.prepare(insertSql(ROWS_PER_INSERT));
  const insertTail = new Map<number, ReturnType<typeof db.prepare>>();
  const insertOf = (rows: number) => {
    if (rows === ROWS_PER_INSERT) return insertFull;
    let statement = insertTail.get(rows);
    if (!statement) insertTail.set(rows, (statement = db.prepare(insertSql(rows))));
    return statement;
  };
  const count = db.prepare("SELECT value FROM meta WHERE key = 'outputs_count'").pluck();
  const addCount = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'outputs_count'");
  const pruned = db.prepare("SELECT value FROM meta WHERE key = 'outputs_pruned'").pluck();
  const addPruned = db.prepare("UPDATE meta SET value = value + ? WHERE key = 'outputs_pruned'");
  const nthOldest = db.prepare('SELECT id FROM outputs ORDER BY id LIMIT 1 OFFSET ?').pluck();
  const deleteUpTo = db.prepare('DELETE FROM outputs WHERE id <= ?');
  const deleteById = db.prepare('DELETE FROM outputs WHERE id = ?');
  const lastIdOf = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outputs'").pluck();
  const detailOf = db.prepare(`SELECT ${SUMMARY_COLUMNS}, method, remote_address, headers, body, body_sha256, fields,
    (SELECT received_at FROM deliveries WHERE deliveries.id = outputs.delivery_id) AS delivery_received_at FROM outputs WHERE id = ?`);
  const after = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM outputs WHERE id > ? ORDER BY id LIMIT ?`);
  const ofDelivery = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM outputs WHERE delivery_id = ? ORDER BY id LIMIT 100`);

  const linker = createOutputLinker(db);

  /** The delivery each output came from, by which rule, and the note saying so (or why none matched). */
  function correlateAll(records: readonly LinkCandidates[]): Omit<StoredLink, 'id'>[] {
    return linker.linkAll(records).map((l, i) => ({ ...l, note: linkNoteOf(records[i]!, l.rule, l.eventIndex) }));
  }

  /** Stores and links each output; returns its id and link (outputSummaryOf builds the summary). */
  const insertBatch = db.transaction((records: readonly Omit<NewOutput, 'summary'>[]): StoredLink[] => {
    const links = correlateAll(records);
    const out: StoredLink[] = new Array(records.length);
    const params: unknown[] = [];
    for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
      const end = Math.min(records.length, start + ROWS_PER_INSERT);
      params.length = 0;
      for (let i = start; i < end; i++) {
        const o = records[i]!;
        const link = links[i]!;
        params.push(o.receivedAt, o.sink, o.transport, o.method, o.path, o.remoteAddress, o.headers,
          o.body, o.bodySha256, o.fields, o.title, o.eventType, o.eventTime, link.deliveryId, link.rule, link.note, o.summaryJson);
      }
      const last = Number(insertOf(end - start).run(params).lastInsertRowid);
      for (let i = start; i < end; i++) out[i] = { id: last - (end - 1 - i), ...links[i]! };
    }
    addCount.run(records.length);
    pruneOverLimit();
    return out;
  });

  function pruneOverLimit(): void {
    const excess = (count.get() as number) - options.maxOutputs;
    if (excess <= 0) return;
    const cutoff = nthOldest.get(excess - 1) as number | undefined;
    if (cutoff !== undefined) addPruned.run(deleteUpTo.run(cutoff).changes);
  }

  function whereOf(q: OutputQuery): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (q.sink) {
      parts.push('sink = ?');
      params.push(q.sink);
    }
    if (q.linked !== undefined) parts.push(q.linked ? 'delivery_id IS NOT NULL' : 'delivery_id IS NULL');
    if (q.deliveryId !== undefined) {
      parts.push('delivery_id = ?');
      params.push(q.deliveryId);
    }
    for (const w of q.words) {
      // instr, not LIKE: the words are the user's, with no wildcard meaning.
      parts.push("(instr(lower(coalesce(title, '')), ?) > 0 OR instr(lower(CAST(body AS TEXT)), ?) > 0)");
      params.push(w.toLowerCase(), w.toLowerCase());
    }
    return { sql: parts.length ? parts.join(' AND ') : '1', params };
  }

  return {
    insertBatch,
    /** The links these outputs would get if stored now, as one group commit finds them (for the bench). */
    correlate: correlateAll,
    list(q: OutputQuery, opts: { limit: number; before?: number }): OutputSummary[] {
      const w = whereOf(q);
      const before = opts.before !== undefined ? ' AND id < ?' : '';
      const rows = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM outputs WHERE ${w.sql}${before} ORDER BY id DESC LIMIT ?`)
        .all(...w.params, ...(opts.before !== undefined ? [opts.before] : []), opts.limit) as OutputRow[];
      return rows.map(toSummary);
    },
    get(id: number): OutputDetail | null {
      const r = detailOf.get(id) as (OutputRow & { method: string | null; remote_address: string | null; headers: string; body: Buffer; body_sha256: string; fields: string; delivery_received_at: number | null }) | undefined;
      if (!r) return null;
      return {
        ...toSummary(r), method: r.method, remoteAddress: r.remote_address, headers: JSON.parse(r.headers) as [string, string][],
        bodyText: decodeUtf8(r.body), bodyBase64: r.body.toString('base64'), bodySha256: r.body_sha256,
        fields: JSON.parse(r.fields === '' ? r.body.toString('utf8') : r.fields) as unknown,
        latencyMs: r.delivery_received_at === null ? null : r.received_at - r.delivery_received_at,
      };
    },
    listAfter(cursor: number, limit: number): OutputSummary[] {
      return (after.all(cursor, limit) as OutputRow[]).map(toSummary);
    },
    forDelivery(deliveryId: number): OutputSummary[] {
      return (ofDelivery.all(deliveryId) as OutputRow[]).map(toSummary);
    },
    remove(id: number): boolean {
      return deleteById.run(id).changes > 0;
    },
    /** Delete every output matching the query (empty: all); returns the ids removed. */
    removeMatching(q: OutputQuery): number[] {
      const w = whereOf(q);
      return db.transaction(() => {
        const ids = db.prepare(`SELECT id FROM outputs WHERE ${w.sql}`).pluck().all(...w.params) as number[];
        db.prepare(`DELETE FROM outputs WHERE ${w.sql}`).run(...w.params);
        return ids;
      })();
    },
    stats(): { total: number; lastId: number; pruned: number } {
      return { total: count.get() as number, lastId: (lastIdOf.get() as number | undefined) ?? 0, pruned: pruned.get() as number };
    },
    maxOutputs: options.maxOutputs,
  };
}
