// An Elasticsearch _bulk endpoint for tests, on 127.0.0.1 port 0, answering as the Bulk API
// documents: the body must end with a newline, each item gets its own status (201 created, or
// an error with type and reason), `errors` is true when any item failed, 429 when throttled
// (the whole request, or single items).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ElasticServerOptions {
  /** Accepted `Authorization: ApiKey <key>`. */
  apiKey?: string;
  /** Accepted basic auth "user:password". */
  basic?: string;
  /** The first N bulk requests answer 429 as a whole. */
  throttleFor?: number;
  /** A document for which this returns a reason is rejected with 400 mapper_parsing_exception. */
  reject?: (doc: Record<string, unknown>) => string | null;
  /** A document for which this is true in bulk request number `bulk` (from 1) is throttled: its item answers 429. */
  throttleItem?: (doc: Record<string, unknown>, bulk: number) => boolean;
}

export interface ElasticServer {
  url: string;
  /** Documents stored, per index. */
  indices: Map<string, Record<string, unknown>[]>;
  requests: { path: string; headers: IncomingMessage['headers']; body: string }[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections: number;
  close(): Promise<void>;
}

const error = (status: number, type: string, reason: string) => ({ error: { root_cause: [{ type, reason }], type, reason }, status });

export async function startElasticServer(o: ElasticServerOptions): Promise<ElasticServer> {
  const indices = new Map<string, Record<string, unknown>[]>();
  const requests: ElasticServer['requests'] = [];
  let bulks = 0, nextId = 0;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end(JSON.stringify(body));
  };
  const authorized = (auth: string | undefined) => {
    if (o.apiKey === undefined && o.basic === undefined) return true;
    if (o.apiKey !== undefined && auth === `ApiKey ${o.apiKey}`) return true;
    return o.basic !== undefined && auth === `Basic ${Buffer.from(o.basic).toString('base64')}`;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, body });
      if (!authorized(req.headers.authorization)) {
        return json(res, 401, error(401, 'security_exception', 'unable to authenticate with provided credentials and anonymous access is not allowed for this request'));
      }
      const m = /^\/([^/]+)\/_bulk$/.exec(path);
      if (req.method !== 'POST' || !m) return json(res, 400, error(400, 'illegal_argument_exception', `request [${req.method} ${path}] is not supported here`));
      const ct = req.headers['content-type'] ?? '';
      if (!/^application\/(x-ndjson|json)/.test(ct)) return json(res, 406, { error: `Content-Type header [${ct}] is not supported`, status: 406 });
      if (++bulks <= (o.throttleFor ?? 0)) {
        return json(res, 429, error(429, 'es_rejected_execution_exception', 'rejected execution of coordinating operation [coordinating_and_primary_bytes=0, max_coordinating_and_primary_bytes=0]'));
      }
      if (!body.endsWith('\n')) return json(res, 400, error(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]'));
      const index = decodeURIComponent(m[1]!);
      const lines = body.slice(0, -1).split('\n');
      const items: unknown[] = [];
      let errors = false;
      for (let i = 0; i < lines.length; i += 2) {
        const action = JSON.parse(lines[i]!) as Record<string, unknown>;
        if (!('create' in action)) return json(res, 400, error(400, 'illegal_argument_exception', `Malformed action/metadata line [${i + 1}]`));
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(lines[i + 1] ?? '') as Record<string, unknown>;
        } catch {
          return json(res, 400, error(400, 'x_content_parse_exception', `[${i + 2}:1] Unexpected character in document`));
        }
        if (o.throttleItem?.(doc, bulks)) {
          errors = true;
          items.push({ create: { _index: index, _id: null, status: 429, error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of primary operation [shard_indexing_pressure]' } } });
          continue;
        }
        const reason = o.reject?.(doc) ?? null;
        if (reason !== null) {
          errors = true;
          items.push({ create: { _index: index, _id: null, status: 400, error: { type: 'document_parsing_exception', reason } } });
          continue;
        }
        const list = indices.get(index) ?? [];
        list.push(doc);
        indices.set(index, list);
        items.push({ create: { _index: index, _id: String(nextId++), _version: 1, result: 'created', status: 201, _seq_no: 0, _primary_term: 1 } });
      }
      return json(res, 200, { errors, took: 1, items });
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, indices, requests,
    get connections() { return connections; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
