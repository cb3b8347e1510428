// A stored delivery -> the one message a SIEM transport carries, through the shared mapping
// (siem/mapDelivery): a HEC envelope, an Elasticsearch document (one JSON line), or an RFC
// 5424 syslog line with CEF or JSON as its MSG. A body that cannot be mapped is a reason, not a throw.
import { createHash } from 'node:crypto';
import { mapDelivery, mapParsedDelivery, parseEventBody, type HecOptions, type MapResult, type PayloadFormat, type SiemFormat, type SiemSource } from '../../siem/index.ts';
import { formatSyslogMessage, syslogSeverity } from './syslog-message.ts';
import type { TargetKind } from './target.ts';

export interface RenderOptions {
  kind: Exclude<TargetKind, 'http'>;
  format: PayloadFormat;
  /** HEC envelope's `index` (--hec-index). */
  hecIndex?: string;
}

export type Rendered = { ok: true; message: string } | { ok: false; reason: string };

export interface StoredDelivery {
  id: number;
  receivedAt: string;
  body: Uint8Array;
  /** The body's stored SHA-256 (hex), when known: not hashed again. */
  bodySha256?: string;
}

type Parsed = { event: Record<string, unknown>; text: string };

/** Lenient: bytes that are not UTF-8 become U+FFFD (a Soveren payload is still re-serialised; the mappings refuse it). */
function parseObject(body: Uint8Array): Parsed | null {
  try {
    const text = Buffer.from(body).toString('utf8');
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? { event: v as Record<string, unknown>, text } : null;
  } catch {
    return null;
  }
}

/** `strict`: the body parsed by the mappings' own rule, so they map it without parsing it again. */
function mapTo(format: SiemFormat, source: SiemSource, strict: Parsed | null, hec?: HecOptions): MapResult {
  return strict ? mapParsedDelivery(format, source, strict, hec) : mapDelivery(format, source, hec);
}

/** The payload in `format` as text: the Soveren JSON re-serialized on one line, a mapping, or the CEF line. */
function renderPayload(format: PayloadFormat, source: SiemSource, parsed: Parsed, strict: Parsed | null): Rendered {
  if (format === 'soveren') return { ok: true, message: JSON.stringify(parsed.event) };
  const mapped = mapTo(format, source, strict);
  if (!mapped.ok) return { ok: false, reason: `not mapped to ${format.toUpperCase()}: ${mapped.reason}` };
  const out = mapped.mapping.output;
  return { ok: true, message: typeof out === 'string' ? out : JSON.stringify(out) };
}

export function renderMessage(d: StoredDelivery, o: RenderOptions): Rendered {
  // One parse in the common case (UTF-8 JSON): the mappings reuse it.
  const checked = parseEventBody(d.body);
  const strict = checked.ok ? { event: checked.event, text: checked.text } : null;
  const parsed = strict ?? parseObject(d.body);
  if (parsed === null) return { ok: false, reason: `delivery ${d.id} is not a JSON object: it has no ${o.kind === 'syslog' ? 'syslog message' : 'SIEM event'} form` };
  const source: SiemSource = { id: d.id, receivedAt: d.receivedAt, body: d.body, bodySha256: d.bodySha256 ?? createHash('sha256').update(d.body).digest('hex') };
  if (o.kind === 'hec') {
    const payload = o.format;
    if (payload === 'cef' || payload === 'hec') return { ok: false, reason: 'a Splunk HEC event carries JSON: give soveren, ocsf or ecs' };
    const mapped = mapTo('hec', source, strict, { payload, ...(o.hecIndex !== undefined && { index: o.hecIndex }) });
    if (!mapped.ok) return { ok: false, reason: `not mapped to a HEC event: ${mapped.reason}` };
    return { ok: true, message: JSON.stringify(mapped.mapping.output) };
  }
  if (o.kind === 'elastic' && o.format === 'cef') return { ok: false, reason: 'an Elasticsearch document is JSON: give ecs, ocsf or soveren' };
  const payload = renderPayload(o.format, source, parsed, strict);
  if (!payload.ok || o.kind === 'elastic') return payload;
  const event = parsed.event;
  const eventType = typeof event.event_type === 'string' ? event.event_type : null;
  return { ok: true, message: formatSyslogMessage({ severity: syslogSeverity(event.sensitivity), msgId: eventType, deliveryId: d.id, message: payload.message }) };
}
