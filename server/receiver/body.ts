// The receiver's raw body on Node's own request stream (Hono's `c.env.incoming`): read under
// the byte limit, refused as early as it is known to be over it, and the lingering close
// that makes sure the 413 reaches a client that is still sending.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type BodyResult =
  | { ok: true; body: Buffer }
  /** Over the limit (`received` >= 0) or aborted by the client (`received` = -1). */
  | { ok: false; received: number; declared: number | null };

/**
 * Read the body, refusing as soon as it is known to be over the limit: from
 * Content-Length before reading anything, otherwise (chunked) when the count passes it.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
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
export function lingerCloseAfter(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    const socket = req.socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}
