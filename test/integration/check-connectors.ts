// Reference connectors for the conformance-check tests, written with node:http: a strict,
// correct one (signatures verified with @octokit/webhooks-methods, 400 for bad JSON) and
// broken ones, each with one realistic defect the check must name.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';

export type ConnectorKind = 'strict' | 'accepts-bad-signatures' | 'crashes-on-bad-json' | 'slow';

export interface Connector {
  url: string;
  /** Requests received so far. */
  received: number;
  close(): Promise<void>;
}

const LIMIT = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= LIMIT) chunks.push(c);
    });
    req.on('end', () => resolve(size > LIMIT ? null : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The signature check of a correct connector: one sha256= header over the raw body. */
async function signatureOk(token: string, req: IncomingMessage, body: Buffer): Promise<boolean> {
  const header = req.headers['x-soveren-signature'];
  if (typeof header !== 'string' || header === '') return false;
  try {
    // Node joins a repeated header with ", ", which never verifies: two headers are refused.
    return await verify(token, body.toString('utf8'), header);
  } catch {
    return false; // octokit throws on an empty payload
  }
}

function createHandler(kind: ConnectorKind, token: string) {
  let queue = Promise.resolve();
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    if (kind === 'slow') {
      // Hangs on big bodies, and handles one delivery at a time, 40 ms each.
      if (body.length > 64 * 1024) return;
      const turn = queue.then(() => new Promise<void>((r) => setTimeout(r, 40)));
      queue = turn;
      await turn;
    }
    if (kind !== 'accepts-bad-signatures' && body.length > 0 && !(await signatureOk(token, req, body))) {
      return answer(res, 401, { error: 'invalid signature' });
    }
    if (kind !== 'accepts-bad-signatures' && req.headers['x-soveren-signature'] === undefined) return answer(res, 401, { error: 'missing signature' });
    let event: unknown;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch (err) {
      if (kind === 'crashes-on-bad-json') return answer(res, 500, { error: String(err) });
      return answer(res, 400, { error: 'body is not JSON' });
    }
    if (event === null || typeof event !== 'object') return answer(res, 400, { error: 'not an event object' });
    answer(res, 200, { ok: true });
  };
}

export async function startConnector(kind: ConnectorKind, token: string): Promise<Connector> {
  const handle = createHandler(kind, token);
  const connector = { url: '', received: 0, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    connector.received++;
    const body = await readBody(req);
    if (body === null) return answer(res, 413, { error: 'body too large' });
    await handle(req, res, body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  connector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/soveren/webhook`;
  connector.close = () => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  return connector;
}
