// One line of an NDJSON export -> a delivery record with the same bytes, headers, verdicts
// and receivedAt. Lines are untrusted files: every field is checked, a bad line is an
// error message (never an exception), and the bytes must match their recorded sha256.
// Lines with only headers and a body (hand-made captures) are analysed as if received.
import { createHash } from 'node:crypto';
import type { BodyKind, ExportedAttempt, Finding, SignatureDetail, UserAgentVerdict } from '../common/protocol.ts';
import { analyzeRequest } from '../receiver/analyze.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import { parseExportedAttempts } from './import-attempts.ts';
import { SIGNATURE_VERDICTS, USER_AGENT_VERDICTS } from '../common/catalog.ts';

export type ImportedLine = { ok: true; record: NewDelivery; attempts: ExportedAttempt[] } | { ok: false; error: string };

const BODY_KINDS: readonly BodyKind[] = ['json', 'invalid-json', 'text', 'binary', 'empty'];
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DAY_MS = 86_400_000;

const isStr = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function parseHeaders(v: unknown): [string, string][] | string {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 1000) return 'headers must be a list of [name, value] pairs';
  for (const h of v) {
    if (!Array.isArray(h) || h.length !== 2 || !isStr(h[0]) || !isStr(h[1])) return 'headers must be a list of [name, value] pairs';
    if (!TOKEN.test(h[0])) return `header name ${JSON.stringify(h[0].slice(0, 40))} is not a valid HTTP token`;
    if (/[\r\n\0]/.test(h[1])) return `header ${h[0]} contains a line break or NUL`;
  }
  return v as [string, string][];
}

function isSignatureDetail(v: unknown): v is SignatureDetail {
  const s = v as SignatureDetail;
  return typeof v === 'object' && v !== null && SIGNATURE_VERDICTS.includes(s.verdict) && Array.isArray(s.headers) && s.headers.every(isStr)
    && (s.matchedToken === null || Number.isInteger(s.matchedToken)) && Number.isInteger(s.tokenCount) && isStr(s.reason)
    && typeof s.uppercaseHex === 'boolean';
}

function isFindings(v: unknown): v is Finding[] {
  return Array.isArray(v) && v.length <= 500 && v.every((f: Finding) => typeof f === 'object' && f !== null && isStr(f.code)
    && ['error', 'warning', 'info'].includes(f.severity) && isStr(f.message));
}

export function parseExportLine(line: string): ImportedLine {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return { ok: false, error: 'not a JSON object' };

  let body: Buffer;
  if (isStr(o.bodyBase64)) {
    if (o.bodyBase64.length % 4 !== 0 || !BASE64.test(o.bodyBase64)) return { ok: false, error: 'bodyBase64 is not base64' };
    body = Buffer.from(o.bodyBase64, 'base64');
  } else if (isStr(o.bodyText)) {
    body = Buffer.from(o.bodyText, 'utf8');
  } else {
    return { ok: false, error: 'no body: bodyBase64 or bodyText is required' };
  }
  const sha = createHash('sha256').update(body).digest('hex');
  if (o.bodySha256 !== undefined && o.bodySha256 !== sha) return { ok: false, error: 'the body does not match its bodySha256 (damaged file?)' };

  const headers = parseHeaders(o.headers);
  if (typeof headers === 'string') return { ok: false, error: headers };
  const attempts = parseExportedAttempts(o.attempts);
  if (typeof attempts === 'string') return { ok: false, error: attempts };
  const method = o.method ?? 'POST';
  if (!isStr(method) || !/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(method)) return { ok: false, error: 'method must be an HTTP method name' };
  const path = o.path ?? '/';
  const query = o.query ?? '';
  if (!isStr(path) || !path.startsWith('/') || path.length > 8192 || /[\s\0]/.test(path)) return { ok: false, error: 'path must start with "/" and hold no spaces' };
  if (!isStr(query) || query.length > 8192 || /[\s\0]/.test(query)) return { ok: false, error: 'query must be a string without spaces' };
  const receivedAt = o.receivedAt === undefined ? Date.now() : isStr(o.receivedAt) ? Date.parse(o.receivedAt) : NaN;
  if (Number.isNaN(receivedAt)) return { ok: false, error: 'receivedAt must be an ISO timestamp' };
  // A date no capture can have (year 275760, before 1970) would only stretch the chart to nothing.
  const latest = Date.now() + DAY_MS;
  if (receivedAt < 0 || receivedAt > latest) {
    return { ok: false, error: `receivedAt ${String(o.receivedAt).slice(0, 40)} is outside 1970-01-01 .. ${new Date(latest).toISOString()} (now + 1 day)` };
  }

  const analyzed = analyzeRequest({
    receivedAt, method, url: path + (query ? `?${query}` : ''), remoteAddress: strOrNull(o.remoteAddress) ? o.remoteAddress : null,
    rawHeaders: headers.flat(), body,
  }, { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 });

  // What depended on the receiver's configuration (tokens, limits) is taken from the file.
  const record: NewDelivery = { ...analyzed };
  if (isSignatureDetail(o.signatureDetail)) record.signatureDetail = o.signatureDetail;
  if (USER_AGENT_VERDICTS.includes(o.userAgent as UserAgentVerdict)) record.userAgent = o.userAgent as UserAgentVerdict;
  if (isFindings(o.findings)) record.findings = o.findings;
  if (Number.isInteger(o.status) && (o.status as number) >= 100 && (o.status as number) <= 599) record.status = o.status as number;
  if (strOrNull(o.refused)) record.refused = o.refused;
  if (BODY_KINDS.includes(o.bodyKind as BodyKind)) record.bodyKind = o.bodyKind as BodyKind;
  if (record.refused !== null && Number.isInteger(o.size) && (o.size as number) >= 0) record.size = o.size as number;
  for (const key of ['contentType', 'category', 'categoryFacet', 'eventType', 'sensitivity', 'title', 'eventTime', 'userAgentValue'] as const) {
    if (strOrNull(o[key])) record[key] = o[key] as string | null;
  }
  if (record.bodyKind === 'binary') record.bodyText = null;
  return { ok: true, record, attempts };
}
