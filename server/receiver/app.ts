// The receiver's Hono app: limits -> raw bytes -> verify -> store (group commit) -> reply.
// Any path, any method. The answer depends on the signature verdict (and, when required,
// the user agent); the body itself never makes a delivery fail. Everything is read from
// Node's own request (`c.env.incoming`): raw header list, exact target, the body stream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { DeliverySummary, ReceiverResponseSetting } from '../common/protocol.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { Ingest } from './ingest.ts';
import { analyzeRequest, type ReceiverPolicy } from './analyze.ts';
import { lingerCloseAfter, readBody } from './body.ts';
import { TOKEN_COOKIE } from '../common/cookies.ts';

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

export type ReceiverEnv = { Bindings: HttpBindings };

export function createReceiverApp(deps: ReceiverDeps): Hono<ReceiverEnv> {
  const app = new Hono<ReceiverEnv>();
  app.all('*', (c) => receive(deps, c.env.incoming, c.env.outgoing));
  app.onError((err, c) => {
    // Nothing was acknowledged: answer so the sender retries, never crash the listener.
    if (!c.env.outgoing.headersSent) return answer(503, { ok: false, error: `receiver error: ${err.message}` });
    c.env.outgoing.destroy();
    return RESPONSE_ALREADY_SENT;
  });
  return app;
}

async function receive(deps: ReceiverDeps, req: IncomingMessage, res: ServerResponse): Promise<Response> {
  const receivedAt = Date.now();
  const policy: ReceiverPolicy = {
    tokens: deps.tokens,
    requireUserAgent: deps.requireUserAgent,
    acceptInvalid: deps.acceptInvalid,
    acceptStatus: deps.response.status,
  };
  const body = await readBody(req, deps.maxBody);
  if (!body.ok && body.received < 0) { // client went away
    return res.destroyed ? RESPONSE_ALREADY_SENT : answer(400, { ok: false, error: 'the request was aborted before its body was complete' });
  }

  const base = { receivedAt, method: req.method ?? 'GET', url: req.url ?? '/', remoteAddress: req.socket.remoteAddress ?? null, rawHeaders: redactAccessCookie(req.rawHeaders) };
  const record = body.ok
    ? analyzeRequest({ ...base, body: body.body }, policy)
    : refusedRecord(analyzeRequest({ ...base, body: Buffer.alloc(0) }, policy), body, deps.maxBody);

  let summary: DeliverySummary;
  try {
    summary = await deps.ingest.submit(record);
  } catch (err) {
    // Never acknowledge what was not committed: Soveren (or any sender) will retry.
    return answer(503, { error: `could not store the delivery: ${(err as Error).message}` });
  }
  deps.onDelivery?.(summary, record);

  if (record.status === 413) lingerCloseAfter(req, res);
  else if (deps.response.delayMs > 0) await sleep(deps.response.delayMs);
  const payload = record.status < 300
    ? { ok: true, id: summary.id, signature: summary.signature }
    : { ok: false, id: summary.id, signature: summary.signature, error: refusalReason(record) };
  return answer(record.status, payload, summary.id);
}

/**
 * One JSON answer. A plain header object (not Hono's `c.json`, which builds a Headers
 * instance for more than one header) keeps @hono/node-server on its direct writeHead path.
 */
function answer(status: number, payload: unknown, id?: number): Response {
  const text = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
  if (id !== undefined) headers['x-soveren-inspector-id'] = String(id);
  return new Response(text, { status, headers });
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
