// The receiver's node:http listener around its Hono app (served through @hono/node-server's
// Node bindings): per-connection timeouts, any Host, Expect: 100-continue, and every header
// of a request seen, however many there are within the header-size limit.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server';
import { createReceiverApp, type ReceiverDeps } from './app.ts';

export interface ReceiverServerDeps extends ReceiverDeps {
  /** Header and body timeout, ms. */
  timeoutMs: number;
}

/**
 * What Hono is told the URL is when the request target or Host is not a valid URL (Host
 * "a b", a path with "\"): the receiver records those too, from the raw request.
 */
const UNPARSED_URL = 'http://unparsed.invalid/';

export function createReceiverServer(deps: ReceiverServerDeps): Server {
  const app = createReceiverApp(deps);
  // Set only while the adapter builds its Request, which happens before its first await:
  // when that fails, its errorHandler is called in the same synchronous stretch.
  let building: HttpBindings | null = null;
  const listener = getRequestListener(app.fetch, {
    // A refused body is held unread (body.ts), never drained after the answer.
    autoCleanupIncoming: false,
    // Requests without Host (HTTP/1.0) are recorded like any other.
    hostname: 'no-host.invalid',
    errorHandler: (err) => {
      const env = building;
      building = null;
      if (env && err instanceof RequestError) return app.fetch(placeholderRequest(env.incoming.method), env);
      return new Response(JSON.stringify({ ok: false, error: 'receiver error' }), { status: 503, headers: { 'content-type': 'application/json' } });
    },
  });
  const serve = (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    building = { incoming, outgoing };
    try {
      return listener(incoming, outgoing);
    } finally {
      building = null;
    }
  };

  // Node enforces these per connection: a client trickling headers or body is cut off.
  // It checks every connectionsCheckingInterval, so a quarter of the timeout keeps the cut near it.
  const server = createServer(
    { headersTimeout: deps.timeoutMs, requestTimeout: deps.timeoutMs, connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.round(deps.timeoutMs / 4))), keepAliveTimeout: 5000,
      // Record requests without Host too (HTTP/1.0 clients); Node 20 would answer them 400 itself.
      requireHostHeader: false },
    serve,
  );
  // Node keeps only the first 1,000 headers by default and silently drops the rest, so a
  // repeated x-soveren-signature after 1,000 others would go unseen and the request judged
  // valid. No count limit: the header-size limit (16 KiB, Node's default; over it Node answers
  // 431 before anything is read) bounds how many there can be, and analyze.ts judges them all.
  server.maxHeadersCount = 0;
  // Expect: 100-continue (RFC 9110 10.1.1): invite the body only when it fits; an
  // over-limit one gets its 413 without the client ever sending it.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared > deps.maxBody)) res.writeContinue();
    void serve(req, res);
  });
  return server;
}

function placeholderRequest(method: string | undefined): Request {
  try {
    return new Request(UNPARSED_URL, { method: method ?? 'GET' });
  } catch {
    // A method the Fetch API forbids (TRACE, ...): the app reads the real one from `incoming`.
    return new Request(UNPARSED_URL, { method: 'POST' });
  }
}
