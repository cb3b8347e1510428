// Raw request -> NewDelivery: verdicts, body classification, extracted event fields and
// findings. Pure apart from hashing; the signature is checked on the raw bytes before
// anything is parsed.
import { sha256Hex } from '../soveren/sha256.ts';
import type { BodyKind, Finding, UserAgentVerdict } from '../common/protocol.ts';
import { SIGNATURE_HEADER, SOVEREN_USER_AGENT, categoryFacetOf } from '../common/catalog.ts';
import { error, info, lintEvent, warning } from '../soveren/lint.ts';
import { verifySignature } from '../soveren/signature.ts';
import { decodeUtf8, type NewDelivery } from '../delivery/new-delivery.ts';
import { deliveryKeysOf } from '../soveren/event-keys.ts';

export interface RawRequest {
  receivedAt: number;
  method: string;
  /** Path and query as sent, e.g. "/hooks/soveren?x=1". */
  url: string;
  remoteAddress: string | null;
  /** Node's rawHeaders: name, value, name, value... in received order. */
  rawHeaders: readonly string[];
  body: Buffer;
}

export interface ReceiverPolicy {
  tokens: readonly string[];
  requireUserAgent: boolean;
  acceptInvalid: boolean;
  /** Status for accepted deliveries. */
  acceptStatus: number;
}

export function analyzeRequest(req: RawRequest, policy: ReceiverPolicy): NewDelivery {
  const headers: [string, string][] = [];
  const signatures: string[] = [];
  const userAgents: string[] = [];
  let contentType: string | null = null;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers.push([name, value]);
    const lower = name.toLowerCase();
    if (lower === SIGNATURE_HEADER) signatures.push(value);
    else if (lower === 'user-agent') userAgents.push(value);
    else if (lower === 'content-type' && contentType === null) contentType = value;
  }

  const signatureDetail = verifySignature(req.body, signatures, policy.tokens);
  const userAgentValue = userAgents[0] ?? null;
  const userAgent: UserAgentVerdict =
    userAgentValue === null ? 'missing' : userAgentValue === SOVEREN_USER_AGENT ? 'ok' : 'mismatch';

  const findings: Finding[] = [];
  const bodyText = decodeUtf8(req.body);
  let bodyKind: BodyKind;
  let event: Record<string, unknown> | null = null;
  if (req.body.length === 0) {
    bodyKind = 'empty';
    if (req.method === 'POST') findings.push(warning('empty_body', 'the body is empty; Soveren always sends a JSON event'));
  } else if (bodyText === null) {
    bodyKind = 'binary';
    findings.push(error('not_utf8', 'the body is not valid UTF-8 (stored byte for byte, shown as hex)'));
  } else {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      bodyKind = 'json';
      findings.push(...lintEvent(parsed));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) event = parsed as Record<string, unknown>;
    } catch (e) {
      const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(bodyText);
      bodyKind = looksJson ? 'invalid-json' : 'text';
      findings.push(error('invalid_json', `the body is not valid JSON: ${(e as Error).message}`));
    }
  }

  if (req.method !== 'POST') findings.push(warning('method', `method ${req.method}; Soveren sends POST`));
  if (req.body.length > 0 && !/^application\/json\b/i.test(contentType ?? '')) {
    findings.push(warning('content_type', `Content-Type is ${contentType === null ? 'missing' : `"${contentType}"`}; Soveren sends application/json`));
  }
  if (signatureDetail.uppercaseHex) {
    findings.push(warning('uppercase_hex', 'the signature hex is uppercase; it verifies here, but strict receivers compare lowercase and reject it'));
  }
  if (userAgent !== 'ok') {
    findings.push(info('user_agent', userAgent === 'missing' ? 'no User-Agent header; Soveren sends SoverenWebhook/1.0' : `User-Agent is not ${SOVEREN_USER_AGENT}`));
  }

  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const category = str(event?.category);
  const q = req.url.indexOf('?');
  const refusedBySignature = policy.tokens.length > 0 && signatureDetail.verdict !== 'valid' && !policy.acceptInvalid;
  const refusedByAgent = policy.requireUserAgent && userAgent !== 'ok';

  return {
    receivedAt: req.receivedAt,
    method: req.method,
    path: q >= 0 ? req.url.slice(0, q) : req.url,
    query: q >= 0 ? req.url.slice(q + 1) : '',
    remoteAddress: req.remoteAddress,
    headers,
    body: req.body,
    size: req.body.length,
    bodySha256: sha256Hex(req.body),
    bodyKind,
    bodyText: bodyKind === 'binary' ? null : bodyText,
    contentType,
    category,
    categoryFacet: category === null ? null : categoryFacetOf(category),
    eventType: str(event?.event_type),
    sensitivity: str(event?.sensitivity),
    title: str(event?.title),
    eventTime: str(event?.time),
    signatureDetail,
    userAgent,
    userAgentValue,
    findings,
    status: refusedBySignature ? 401 : refusedByAgent ? 403 : policy.acceptStatus,
    refused: null,
    ...deliveryKeysOf(event),
  };
}
