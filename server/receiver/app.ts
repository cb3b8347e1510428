// The receiver listener's app: limits -> raw bytes -> verify -> store (group commit) -> reply.
// Any path, any method. The answer depends on the signature verdict (and, when required,
// the user agent); the body itself never makes a delivery fail.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import type { DeliverySummary, ReceiverResponseSetting } from '../protocol.ts';
import type { NewDelivery } from '../store/deliveries.ts';
import type { Ingest } from './ingest.ts';
import { analyzeRequest, type ReceiverPolicy } from './analyze.ts';
import { TOKEN_COOKIE } from '../api/guards.ts';

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

export function createReceiverApp(deps: ReceiverDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.all('*', async (c) => {
    const req = c.env.incoming;
    const receivedAt = Date.now();
    const policy: ReceiverPolicy = {
      tokens: deps.tokens,
      requireUserAgent: deps.requireUserAgent,
      acceptInvalid: deps.acceptInvalid,
      acceptStatus: deps.response.status,
    };
    const body = await readBody(req, deps.maxBody);
    if (!body.ok && body.received < 0) return new Response(null, { status: 400 }); // client went away

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
      return c.json({ error: `could not store the delivery: ${(err as Error).message}` }, 503);
    }
    deps.onDelivery?.(summary, record);

    if (record.status === 413) lingerClose(req, c.env.outgoing);
    else if (deps.response.delayMs > 0) await sleep(deps.response.delayMs);
    const headers: Record<string, string> = { 'x-soveren-inspector-id': String(summary.id) };
    const payload = record.status < 300
      ? { ok: true, id: summary.id, signature: summary.signature }
      : { ok: false, id: summary.id, signature: summary.signature, error: refusalReason(record) };
    return c.json(payload, record.status as 200, headers);
  });

  return app;
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
 * Node listener for the receiver. A tunnel or a broken client may send any Host, even one
 * that is no valid URL authority; the adapter needs a parseable URL to build its Request,
 * but the receiver reads everything from the raw request (rawHeaders keep the real Host),
 * so the adapter is given a fixed placeholder and no Host is ever refused.
 */
export function createReceiverListener(app: ReturnType<typeof createReceiverApp>) {
  // No auto-cleanup: every body is read by the app, and a refused one must stay unread.
  const listener = getRequestListener(app.fetch, { autoCleanupIncoming: false });
  return (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.headers.host = 'receiver.invalid';
    return listener(req, res);
  };
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
