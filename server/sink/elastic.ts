// Elasticsearch routes: GET / (cluster info), POST /_bulk and /<index>/_bulk (NDJSON index,
// create, update and delete actions, answered per item), and single documents through
// PUT/POST /<index>/_doc[/<id>] and /<index>/_create/<id>. Every answer carries
// X-Elastic-Product. The sink keeps an append-only log: updates and deletes are stored as
// outputs and answered as if the document existed.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { buildOutput } from './output-record.ts';
import { credentialOf, headersOf, isAuthorized, readSinkBody, remoteOf, type SinkContext, type SinkHttpDeps } from './http-common.ts';
import {
  clusterInfo, esError, invalidIndexReason, itemFailure, itemSuccess, newDocumentId, PRODUCT_HEADER, type BulkAction, type ItemResult,
} from './elastic-answers.ts';
import { parseBulk } from './elastic-bulk.ts';
import type { NewOutput } from '../store/outputs.ts';
import { decodeUtf8 } from '../delivery/new-delivery.ts';

const WWW_AUTHENTICATE = ['Basic realm="security", charset="UTF-8"', 'ApiKey'];

export function createElasticRoutes(deps: SinkHttpDeps) {
  const es = new Hono<{ Bindings: HttpBindings }>();
  const uuid = randomUUID().replace(/-/g, '').slice(0, 22);
  // _seq_no per index, as a shard counts them; a bounded number of indexes is tracked.
  const seqNos = new Map<string, number>();
  const nextSeqNo = (index: string) => {
    const n = seqNos.get(index) ?? 0;
    if (!seqNos.has(index) && seqNos.size >= 10_000) seqNos.clear();
    seqNos.set(index, n + 1);
    return n;
  };

  // Every answer, errors included: the official clients refuse a server without it.
  es.use('*', async (c, next) => {
    await next();
    c.res.headers.set(PRODUCT_HEADER[0], PRODUCT_HEADER[1]);
  });

  /** 401 in Elasticsearch's security_exception shape, or null when the request may pass. */
  function denied(c: SinkContext): Response | null {
    const credential = credentialOf(c.req.header('authorization'));
    if (isAuthorized(deps.token, credential)) return null;
    const reason = credential.kind === 'none'
      ? `missing authentication credentials for REST request [${c.req.path}]`
      : 'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
    const res = c.json(esError('security_exception', reason, 401, { header: { 'WWW-Authenticate': WWW_AUTHENTICATE } }), 401);
    for (const v of WWW_AUTHENTICATE) res.headers.append('www-authenticate', v);
    return res;
  }

  function output(c: SinkContext, receivedAt: number, headers: [string, string][], action: BulkAction, index: string, id: string, source: string | null, doc: unknown): NewOutput {
    return buildOutput({
      sink: 'elastic', transport: 'http', receivedAt, method: c.req.method, path: c.req.path, remoteAddress: remoteOf(c), headers,
      body: Buffer.from(source ?? JSON.stringify({ [action]: { _index: index, _id: id } })),
      fields: source === null ? { action, _index: index, _id: id } : doc,
      fieldsAreBody: source !== null,
      summary: { action, index, id },
      ...(doc !== null && typeof doc === 'object' && 'doc' in doc ? { embedded: [JSON.stringify((doc as { doc: unknown }).doc)] } : {}),
    });
  }

  async function onBulk(c: SinkContext) {
    const refused = denied(c);
    if (refused) return refused;
    const started = Date.now();
    const pathIndex = c.req.param('index') ?? null;
    if (pathIndex !== null && invalidIndexReason(pathIndex) !== null) {
      return c.json(esError('invalid_index_name_exception', `Invalid index name [${pathIndex}], ${invalidIndexReason(pathIndex)}`, 400), 400);
    }
    const read = await readSinkBody(c, deps.maxBody);
    if (!read.ok) return c.json(esError('illegal_argument_exception', read.message, read.status), read.status);
    const text = decodeUtf8(read.body);
    if (text === null) return c.json(esError('illegal_argument_exception', 'the bulk body is not valid UTF-8', 400), 400);
    const bulk = parseBulk(text, pathIndex);
    if (!bulk.ok) return c.json(esError(bulk.type, bulk.reason, 400), 400);

    const receivedAt = Date.now();
    const headers = headersOf(c);
    const outputs: NewOutput[] = [];
    const items: Record<string, ItemResult>[] = [];
    for (const op of bulk.ops) {
      const id = op.id ?? newDocumentId();
      if (op.parseError !== null) {
        items.push({ [op.action]: itemFailure(op.index, id, 400, 'document_parsing_exception', `[1:1] failed to parse: ${op.parseError}`) });
        continue;
      }
      outputs.push(output(c, receivedAt, headers, op.action, op.index, id, op.source, op.doc));
      items.push({ [op.action]: itemSuccess(op.action, op.index, id, nextSeqNo(op.index)) });
    }
    try {
      await deps.ingest.submit(outputs);
    } catch (err) {
      return c.json(esError('es_rejected_execution_exception', `could not store the documents: ${(err as Error).message}`, 429), 429);
    }
    const errors = items.some((i) => Object.values(i)[0]!.error !== undefined);
    return c.json({ errors, took: Date.now() - started, items });
  }

  async function onDocument(c: SinkContext, action: 'index' | 'create') {
    const refused = denied(c);
    if (refused) return refused;
    const index = c.req.param('index')!;
    const badName = invalidIndexReason(index);
    if (badName !== null) return c.json(esError('invalid_index_name_exception', `Invalid index name [${index}], ${badName}`, 400), 400);
    const read = await readSinkBody(c, deps.maxBody);
    if (!read.ok) return c.json(esError('illegal_argument_exception', read.message, read.status), read.status);
    const text = decodeUtf8(read.body) ?? '';
    let doc: unknown;
    try {
      doc = JSON.parse(text);
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the document must be a JSON object');
    } catch (e) {
      if (read.body.length === 0) return c.json(esError('parse_exception', 'request body is required', 400), 400);
      return c.json(esError('document_parsing_exception', `[1:1] failed to parse: ${(e as Error).message}`, 400), 400);
    }
    const id = c.req.param('id') ?? newDocumentId();
    try {
      await deps.ingest.submit([output(c, Date.now(), headersOf(c), action, index, id, text, doc)]);
    } catch (err) {
      return c.json(esError('es_rejected_execution_exception', `could not store the document: ${(err as Error).message}`, 429), 429);
    }
    const { status: _status, ...answer } = itemSuccess(action, index, id, nextSeqNo(index));
    return c.json(answer, 201);
  }

  es.get('/', (c) => denied(c) ?? c.json(clusterInfo(uuid)));
  es.on('HEAD', '/', (c) => denied(c) ?? c.body(null, 200));
  es.on(['POST', 'PUT'], '/_bulk', onBulk);
  es.on(['POST', 'PUT'], '/:index/_bulk', onBulk);
  es.post('/:index/_doc', (c) => onDocument(c, 'index'));
  es.on(['POST', 'PUT'], '/:index/_doc/:id', (c) => onDocument(c, 'index'));
  es.on(['POST', 'PUT'], '/:index/_create/:id', (c) => onDocument(c, 'create'));
  return es;
}
