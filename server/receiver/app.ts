// The receiver listener: limits -> raw bytes -> verify -> store (group commit) -> reply.
// Any path, any method. The answer depends on the signature verdict (and, when required,
// the user agent); the body itself never makes a delivery fail.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliverySummary, ReceiverResponseSetting } from '../shared/protocol.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { Ingest } from './ingest.ts';
import { analyzeRequest, type ReceiverPolicy } from './analyze.ts';
import { TOKEN_COOKIE } from '../shared/cookies.ts';

export interface ReceiverDeps {
  ingest: Ingest;
  tokens: readonly string[];
  maxBody: number;
  requireUserAgent: boolean;
  acceptInvalid: boolean;
  /** Live-editable simulated answer (status for accepted deliveries, delay). */
  response: ReceiverResponseSetting;
  onDelivery?: (summary: DeliverySummary, record: NewDelivery) => void;
}

type BodyResult = { ok: true; body: Buffer } | { ok: false; received: number; declared: number | null };

/**
 * Read the body, refusing as soon as it is known to be over the limit: from
 * Content-Length before reading anything, otherwise (chunked) when the count passes it.
 */
function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declaredHeader = req.headers['content-length'];
  const declared = declaredHeader !== undefined && /^\d+$/.test(declaredHeader) ? Number(declaredHeader) : null;
  if (declared !== null && declared > limit) {
    holdRest(req);
    return Promise.resolve({ ok: false, received: 0, declared });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        holdRest(req);
        finish({ ok: false, received, declared });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received) }));
    // Aborted or timed-out request: nothing to store, nobody to answer.
    req.once('error', () => finish({ ok: false, received: -1, declared }));
    req.once('close', () => finish({ ok: false, received: -1, declared }));
  });
}

/** How long a connection whose body was refused is held half-closed before it is cut. */
const LINGER_MS = 1000;

/**
 * Stop reading a refused body: the client's TCP window fills and it blocks, so nothing more
 * reaches memory. `read(0)` marks the request as consumed, or Node would drain (read and
 * drop) the whole body after the answer.
 */
function holdRest(req: IncomingMessage): void {
  req.pause();
  req.read(0);
}

/**
 * Lingering close (RFC 9112 9.6) after a 413: closing at once with unread input makes the
 * kernel send RST, which can destroy the answer before the client reads it. So once the
 * answer is written the connection is half-closed (FIN after the 413), left unread, and cut
 * after LINGER_MS unless the client has closed it by then.
 */
function lingerClose(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    const socket = req.socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

/**
 * The receiver's request listener, plain node:http: it reads everything from the raw request
 * (rawHeaders keep the real Host, so a tunnel's or a broken client's Host is never refused)
 * and writes one JSON answer. No framework on this path: it is the hot one.
 */
export function createReceiverListener(deps: ReceiverDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      await handle(deps, req, res);
    } catch (err) {
      // Nothing was acknowledged: answer so the sender retries, never crash the listener.
      if (!res.headersSent) answer(res, 503, { ok: false, error: `receiver error: ${(err as Error).message}` });
      else res.destroy();
    }
  };
}

async function handle(deps: ReceiverDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = Date.now();
  const policy: ReceiverPolicy = {
    tokens: deps.tokens,
    requireUserAgent: deps.requireUserAgent,
    acceptInvalid: deps.acceptInvalid,
    acceptStatus: deps.response.status,
  };
  const body = await readBody(req, deps.maxBody);
  if (!body.ok && body.received < 0) { // client went away
    if (!res.destroyed) answer(res, 400, { ok: false, error: 'the request was aborted before its body was complete' });
    return;
  }

  const base = { receivedAt, method: req.method ?? 'GET', url: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? null, rawHeaders: redactAccessCookie(req.rawHeaders) };
  let record: NewDelivery;
  if (body.ok) {
    record = analyzeRequest({ ...base, body: body.body }, policy);
  } else {
    record = refusedRecord(analyzeRequest({ ...base, body: Buffer.alloc(0) }, policy), body, deps.maxBody);
  }

  let summary: DeliverySummary;
  try {
    summary = await deps.ingest.submit(record);
  } catch (err) {
    // Never acknowledge what was not committed: Soveren (or any sender) will retry.
    answer(res, 503, { error: `could not store the delivery: ${(err as Error).message}` });
    return;
  }
  deps.onDelivery?.(summary, record);

  if (record.status === 413) lingerClose(req, res);
  else if (deps.response.delayMs > 0) await sleep(deps.response.delayMs);
  const payload = record.status < 300
    ? { ok: true, id: summary.id, signature: summary.signature }
    : { ok: false, id: summary.id, signature: summary.signature, error: refusalReason(record) };
  answer(res, record.status, payload, summary.id);
}

function answer(res: ServerResponse, status: number, payload: unknown, id?: number): void {
  const text = JSON.stringify(payload);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (id !== undefined) headers['x-soveren-inspector-id'] = id;
  res.writeHead(status, headers).end(text);
}

function refusedRecord(r: NewDelivery, body: { received: number; declared: number | null }, limit: number): NewDelivery {
  const size = body.declared ?? body.received;
  const what = body.declared !== null ? `declared ${body.declared} bytes` : `sent more than ${limit} bytes (chunked)`;
  return {
    ...r,
    size,
    status: 413,
    refused: 'too_large',
    bodyKind: 'empty',
    findings: [{ code: 'too_large', severity: 'error', message: `body refused unread: ${what}, over the ${limit}-byte --max-body limit` }],
    signatureDetail: {
      ...r.signatureDetail,
      verdict: 'unchecked',
      matchedToken: null,
      reason: 'the body was over the --max-body limit and was not read, so the signature could not be checked',
    },
  };
}

function refusalReason(r: NewDelivery): string {
  if (r.status === 413) return r.findings[0]!.message;
  if (r.status === 401) return `signature ${r.signatureDetail.verdict}: ${r.signatureDetail.reason}`;
  if (r.status === 403) return `user agent ${r.userAgent}: expected SoverenWebhook/1.0`;
  return `simulated status ${r.status}`;
}

/**
 * Cookies are not scoped by port, so a browser that holds the UI's access-token cookie
 * sends it to the receiver too (same host). Its value must not end up stored, shown or
 * exported; every other header is kept exactly.
 */
function redactAccessCookie(raw: readonly string[]): readonly string[] {
  const pattern = new RegExp(`(^|;\\s*)(${TOKEN_COOKIE}=)[^;]*`, 'g');
  let out: string[] | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() !== 'cookie' || !raw[i + 1]!.includes(TOKEN_COOKIE)) continue;
    out ??= [...raw];
    out[i + 1] = raw[i + 1]!.replace(pattern, '$1$2[redacted]');
  }
  return out ?? raw;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
