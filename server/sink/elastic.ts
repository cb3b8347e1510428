// Elasticsearch routes: GET / (cluster info), POST /_bulk and /<index>/_bulk (NDJSON index,
// create, update and delete actions, answered per item), and single documents through
// PUT/POST /<index>/_doc[/<id>] and /<index>/_create/<id>. Every answer carries
// X-Elastic-Product. Every item is stored as an output; the answer follows the documents'
// versions (elastic-documents.ts): a create of an existing id is a 409 conflict, an index of
// one an update. Updates and deletes of ids the sink never saw are answered as if they existed.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { buildOutput } from './output-record.ts';
import { credentialOf, headersOf, isAuthorized, readSinkBody, remoteOf, type SinkContext, type SinkHttpDeps } from './http-common.ts';
import {
  clusterInfo, CREATED, esError, invalidIndexReason, itemFailure, itemSuccess, newDocumentId, PRODUCT_HEADER, shardFailure,
  type BulkAction, type ItemResult,
} from './elastic-answers.ts';
import { parseBulk, type BulkOp } from './elastic-bulk.ts';
import { createDocumentVersions, type DocumentDecision, type DocumentUndo } from './elastic-documents.ts';
import type { NewOutput } from '../store/outputs.ts';
import { decodeUtf8 } from '../delivery/new-delivery.ts';
import { sha256Hex } from '../soveren/sha256.ts';

const WWW_AUTHENTICATE = ['Basic realm="security", charset="UTF-8"', 'ApiKey'];

export function createElasticRoutes(deps: SinkHttpDeps) {
  const es = new Hono<{ Bindings: HttpBindings }>();
  const uuid = randomUUID().replace(/-/g, '').slice(0, 22);
  const documents = createDocumentVersions();
  /** An index's uuid, as Elasticsearch names the index in a shard's error: stable per index and cluster. */
  const indexUuidOf = (index: string) => Buffer.from(sha256Hex(`${uuid}\u0000${index}`).slice(0, 32), 'hex').toString('base64url').slice(0, 22);
  /** The answer for one item: generated ids are new documents; chosen ones follow their versions. */
  const decide = (action: BulkAction, index: string, id: string | null, undo: DocumentUndo[]): DocumentDecision =>
    id === null ? { ok: true, ...CREATED } : documents.decide(action, index, id, undo);
  const undoAll = (undo: DocumentUndo[]) => {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  };
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

  function output(c: SinkContext, receivedAt: number, headers: [string, string][], action: BulkAction, index: string, id: string, source: string | null, doc: unknown, decision: DocumentDecision, sourceBytes?: Buffer): NewOutput {
    return buildOutput({
      sink: 'elastic', transport: 'http', receivedAt, method: c.req.method, path: c.req.path, remoteAddress: remoteOf(c), headers,
      body: sourceBytes ?? Buffer.from(source ?? JSON.stringify({ [action]: { _index: index, _id: id } })),
      ...(source !== null && { text: source }),
      fields: source === null ? { action, _index: index, _id: id } : doc,
      fieldsAreBody: source !== null,
      // A refused item is stored too (it is what the connector sent); its summary says it was refused.
      summary: decision.ok ? { action, index, id } : { action, index, id, answer: `${decision.status} ${decision.type}` },
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
    const bulk = parseBulk(read.body, pathIndex);
    if (!bulk.ok) return c.json(esError(bulk.type, bulk.reason, 400), 400);

    const plan = planBulk(c, bulk.ops);
    try {
      await deps.ingest.submit(plan.outputs);
    } catch (err) {
      undoAll(plan.undo);
      return c.json(esError('es_rejected_execution_exception', `could not store the documents: ${(err as Error).message}`, 429), 429);
    }
    c.header('content-type', 'application/json');
    return c.body(`{"errors":${plan.errors},"took":${Date.now() - started},"items":${plan.itemsJson}}`);
  }

  /**
   * Each item's output and answer, decided before the commit. Synchronous on purpose: the parsed
   * documents and answer objects die here, and only the outputs and the answer's text wait for
   * the commit (so a large batch does not live long enough to burden the garbage collector).
   */
  function planBulk(c: SinkContext, ops: readonly BulkOp[]): { outputs: NewOutput[]; itemsJson: string; errors: boolean; undo: DocumentUndo[] } {
    const receivedAt = Date.now();
    const headers = headersOf(c);
    const outputs: NewOutput[] = [];
    const items: Record<string, ItemResult>[] = [];
    const undo: DocumentUndo[] = [];
    let errors = false;
    for (const op of ops) {
      const id = op.id ?? newDocumentId();
      if (op.parseError !== null) {
        errors = true;
        items.push({ [op.action]: itemFailure(op.index, id, 400, 'document_parsing_exception', `[1:1] failed to parse: ${op.parseError}`) });
        continue;
      }
      const decision = decide(op.action, op.index, op.id, undo);
      errors ||= !decision.ok;
      outputs.push(output(c, receivedAt, headers, op.action, op.index, id, op.source, op.doc, decision, op.sourceBytes ?? undefined));
      items.push({
        [op.action]: decision.ok
          ? itemSuccess(op.index, id, nextSeqNo(op.index), decision)
          : { _index: op.index, _id: id, status: decision.status, error: shardFailure(op.index, indexUuidOf(op.index), decision.type, decision.reason) },
      });
    }
    return { outputs, itemsJson: JSON.stringify(items), errors, undo };
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
    const chosen = c.req.param('id') ?? null;
    const id = chosen ?? newDocumentId();
    const undo: DocumentUndo[] = [];
    const decision = decide(action, index, chosen, undo);
    try {
      await deps.ingest.submit([output(c, Date.now(), headersOf(c), action, index, id, text, doc, decision, read.body)]);
    } catch (err) {
      undoAll(undo);
      return c.json(esError('es_rejected_execution_exception', `could not store the document: ${(err as Error).message}`, 429), 429);
    }
    if (!decision.ok) {
      const cause = shardFailure(index, indexUuidOf(index), decision.type, decision.reason);
      return c.json({ error: { root_cause: [cause], ...cause }, status: decision.status }, decision.status);
    }
    const { status, ...answer } = itemSuccess(index, id, nextSeqNo(index), decision);
    return c.json(answer, status as 200 | 201);
  }

  es.get('/', (c) => denied(c) ?? c.json(clusterInfo(uuid)));
  es.on('HEAD', '/', (c) => denied(c) ?? c.body(null, 200));
  es.on(['POST', 'PUT'], '/_bulk', onBulk);
  es.on(['POST', 'PUT'], '/:index/_bulk', onBulk);
  es.post('/:index/_doc', (c) => onDocument(c, 'index'));
  // ?op_type=create makes _doc/<id> a create (docs-index_.html, "op_type").
  es.on(['POST', 'PUT'], '/:index/_doc/:id', (c) => onDocument(c, c.req.query('op_type') === 'create' ? 'create' : 'index'));
  es.on(['POST', 'PUT'], '/:index/_create/:id', (c) => onDocument(c, 'create'));
  return es;
}
