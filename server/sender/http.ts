// One outbound HTTP request with the semantics a webhook sender should have: a timeout,
// redirects never followed (a 3xx is a failure), the response body read only up to a
// bound, and every outcome returned as data (never thrown). Callers that send to one target
// many times (live forwarding, SIEM transports) pass a keep-alive agent of their own.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface OutboundRequest {
  url: string;
  method?: string;
  /** Sent in this order; repeated names are sent repeatedly. */
  headers: [string, string][];
  body: Uint8Array;
  timeoutMs?: number;
  /** Bytes of the response body kept (default 64 KiB); the rest is discarded unread. */
  maxResponseBytes?: number;
  /** Abort the request (shutdown, a stopped job); the result says "aborted". */
  signal?: AbortSignal;
  /** Reuse connections through this agent (createKeepAliveAgent); default: a new connection per request. */
  agent?: HttpAgent;
}

export interface OutboundResult {
  status: number | null;
  /** 2xx. */
  ok: boolean;
  durationMs: number;
  error: string | null;
  responseHeaders: [string, string][];
  responseBody: string | null;
  /** Epoch ms when the request started. */
  startedAt: number;
  /** Retry-After in ms when the server sent one. */
  retryAfterMs: number | null;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One agent per target that keeps connections open between requests (Node's public
 * http.Agent API), so a steady stream of forwards does not pay a TCP (and TLS) handshake
 * each. Idle sockets are unref'd by Node and never hold the process; `destroy()` closes them.
 */
export function createKeepAliveAgent(url: string): HttpAgent {
  const options = { keepAlive: true, maxFreeSockets: 16 };
  return url.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
}

export async function sendRequest(req: OutboundRequest): Promise<OutboundResult> {
  const first = await sendOnce(req);
  // A kept-alive connection the target closed while idle fails at once with a reset before
  // any answer; the request never reached the target, so it goes once more on a fresh
  // connection (as Node's docs advise for request.reusedSocket).
  if (!first.staleSocket) return first;
  const { agent: _stale, ...fresh } = req;
  return sendOnce(fresh);
}

type Once = OutboundResult & { staleSocket?: boolean };

function sendOnce(req: OutboundRequest): Promise<Once> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = req.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const done = (partial: Partial<Once>): Once => ({
    status: null, ok: false, error: null, responseHeaders: [], responseBody: null, retryAfterMs: null,
    ...partial, startedAt, durationMs: Math.round((performance.now() - t0) * 100) / 100,
  });

  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve(done({ error: `invalid URL "${req.url}"` }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve(done({ error: `unsupported URL scheme "${url.protocol}" (http or https only)` }));
  }

  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Once) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    // Flat header list keeps order and repeats (Node accepts [name, value, name, value, ...]).
    const flat = req.headers.flatMap(([k, v]) => [k, v]);
    const hasLength = req.headers.some(([k]) => k.toLowerCase() === 'content-length');
    if (!hasLength) flat.push('Content-Length', String(req.body.length));
    // Given headers as a flat list, Node adds no Host header itself; servers answer 400 without one (RFC 9112 3.2).
    if (!req.headers.some(([k]) => k.toLowerCase() === 'host')) flat.unshift('Host', url.host);
    // Nor does it turn user:password in the URL into Basic auth (RFC 7617) for a flat list.
    if ((url.username || url.password) && !req.headers.some(([k]) => k.toLowerCase() === 'authorization')) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      flat.push('Authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = send(url, { method: req.method ?? 'POST', headers: flat as unknown as Record<string, string>, agent: req.agent ?? false });
    } catch (err) {
      // Node refuses header names/values it cannot put on the wire (imported data may hold them).
      resolve(done({ error: `request not sent: ${(err as Error).message}` }));
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish(done({ error: `timed out after ${timeoutMs} ms` }));
    }, timeoutMs);
    const onAbort = () => {
      outgoing.destroy();
      finish(done({ error: 'aborted' }));
    };
    if (req.signal?.aborted) onAbort();
    req.signal?.addEventListener('abort', onAbort, { once: true });

    let answered = false;
    outgoing.on('error', (err: NodeJS.ErrnoException) => {
      const stale = outgoing.reusedSocket && !answered && err.code === 'ECONNRESET' && !req.signal?.aborted;
      finish(done({ error: describeError(err), ...(stale && { staleSocket: true }) }));
    });
    outgoing.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      const responseHeaders = pairs(res.rawHeaders);
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept >= maxBytes) {
          // Bound reached: stop reading; a hostile target cannot make us buffer more.
          res.destroy();
          complete();
          return;
        }
        const part = chunk.subarray(0, maxBytes - kept);
        chunks.push(part);
        kept += part.length;
      });
      const complete = () => {
        const ok = status >= 200 && status < 300;
        let error: string | null = null;
        if (status >= 300 && status < 400) {
          error = `redirect ${status} to ${res.headers.location ?? '(no Location)'} not followed: a webhook endpoint must answer 2xx itself`;
        } else if (!ok) {
          error = `answered ${status}`;
        }
        finish(done({
          status, ok, error, responseHeaders,
          responseBody: Buffer.concat(chunks).toString('utf8'),
          retryAfterMs: parseRetryAfter(res.headers),
        }));
      };
      res.on('end', complete);
      res.on('error', complete);
      res.on('close', complete);
    });
    outgoing.end(req.body);
  });
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function parseRetryAfter(headers: IncomingHttpHeaders): number | null {
  const v = headers['retry-after'];
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function describeError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the connector running?)';
    case 'ENOTFOUND':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset by the target';
    default:
      return err.message;
  }
}
