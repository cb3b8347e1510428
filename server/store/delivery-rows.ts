// Row shapes of the deliveries table and the summary built from them: what lists read and
// where a payload is stored. They stay inside store/.
import type { BodyKind, DeliverySummary, SignatureVerdict, UserAgentVerdict } from '../common/protocol.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';

export interface SummaryRow {
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
  replay_outcome: 'ok' | 'failed' | null;
  replay_status: number | null;
  forward_outcome: 'ok' | 'failed' | null;
  forward_status: number | null;
  imported_at: number | null;
}

/**
 * Where a row's payload is: in a chunk entry, or (rows stored before chunks existed) in its
 * own columns.
 */
export interface PayloadRef {
  headers: string;
  signature_detail: string;
  findings: string;
  body: Buffer;
  body_chunk: number | null;
  body_offset: number | null;
}

export interface DetailRow extends SummaryRow, PayloadRef {
  query: string;
  remote_address: string | null;
  body_sha256: string;
  content_type: string | null;
  event_time: string | null;
  user_agent_value: string | null;
}

export const SUMMARY_COLUMNS = `id, received_at, method, path, category, category_facet, event_type, sensitivity,
  title, signature, user_agent, size, status, body_kind, refused, finding_count, duplicate_of,
  replay_outcome, replay_status, forward_outcome, forward_status, imported_at`;

export function toSummary(r: SummaryRow): DeliverySummary {
  return {
    id: r.id,
    receivedAt: isoTime(r.received_at),
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
    replay: r.replay_outcome === null ? null : { outcome: r.replay_outcome, status: r.replay_status },
    forward: r.forward_outcome === null ? null : { outcome: r.forward_outcome, status: r.forward_status },
    importedAt: r.imported_at === null ? null : isoTime(r.imported_at),
  };
}

/** The summary of a record just stored (what a read of its row gives, without reading it). */
export function summaryOf(r: NewDelivery, id: number, duplicateOf: number | null): DeliverySummary {
  return {
    id, receivedAt: isoTime(r.receivedAt), method: r.method, path: r.path,
    category: r.category, categoryFacet: r.categoryFacet, eventType: r.eventType, sensitivity: r.sensitivity,
    title: r.title, signature: r.signatureDetail.verdict, userAgent: r.userAgent, size: r.size,
    status: r.status, bodyKind: r.bodyKind, refused: r.refused, findingCount: r.findings.length, duplicateOf,
    replay: null, forward: null, importedAt: null,
  };
}

/**
 * ISO text of a stored epoch-ms time, clamped to what Date can hold (±8.64e15 ms): a row
 * edited or written by other tools must not turn every read into a RangeError.
 */
export function isoTime(ms: number): string {
  const clamped = Number.isFinite(ms) ? Math.max(-8.64e15, Math.min(8.64e15, ms)) : 0;
  return new Date(clamped).toISOString();
}
