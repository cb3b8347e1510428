// The Elasticsearch sink against the official client (@elastic/elasticsearch: index and
// helpers.bulk, which refuse any server without X-Elastic-Product) and raw NDJSON: per-item
// answers in the documented shape, whole-request errors, and ApiKey / basic auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, errors } from '@elastic/elasticsearch';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { getJson, rawRequest } from '../helpers/http.ts';
import type { OutputDetail, OutputSummary } from '../../server/common/protocol.ts';

const TOKEN = 'elastic-key-0123456789';
let t: TestInspector;
let sink: string;

beforeAll(async () => {
  t = await startTestInspector({ sinkToken: TOKEN });
  sink = t.inspector.sinkUrl;
});
afterAll(() => t.close());

async function outputs(q: string): Promise<OutputSummary[]> {
  return (await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?limit=500&q=${encodeURIComponent(q)}`)).items;
}

const bulk = (body: string, auth = `ApiKey ${TOKEN}`, path = '_bulk') =>
  rawRequest(sink + path, { headers: [['Content-Type', 'application/x-ndjson'], ['Authorization', auth]], body });

describe('Elasticsearch sink', () => {
  it('answers the official client: cluster info, index and helpers.bulk', async () => {
    const client = new Client({ node: sink, auth: { apiKey: TOKEN } });
    try {
      const info = await client.info();
      expect(info.tagline).toBe('You Know, for Search');
      const indexed = await client.index({ index: 'soveren-events', id: 'doc-1', document: { title: 'es-client-index', n: 1 } });
      expect(indexed).toMatchObject({ _index: 'soveren-events', _id: 'doc-1', result: 'created' });

      const docs = Array.from({ length: 250 }, (_, i) => ({ title: `es-client-bulk ${i}`, n: i }));
      const stats = await client.helpers.bulk({ datasource: docs, onDocument: () => ({ create: { _index: 'soveren-events' } }), flushBytes: 4096 });
      expect(stats).toMatchObject({ total: 250, successful: 250, failed: 0 });
    } finally {
      await client.close();
    }
    expect(await outputs('es-client-bulk')).toHaveLength(250);
    const [single] = await outputs('es-client-index');
    expect(single).toMatchObject({ sink: 'elastic', title: 'es-client-index', summary: { action: 'index', index: 'soveren-events', id: 'doc-1' } });
    const detail = await getJson<OutputDetail>(`${t.uiUrl}api/outputs/${single!.id}`);
    expect(JSON.parse(detail.bodyText!)).toEqual({ title: 'es-client-index', n: 1 });
    expect(JSON.stringify(detail)).not.toContain(TOKEN);
  });

  it('makes the official client see 401 for a wrong key', async () => {
    const client = new Client({ node: sink, auth: { apiKey: 'wrong-key' } });
    try {
      const err = await client.index({ index: 'x', document: { title: 'es-wrong-key' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(errors.ResponseError);
      expect((err as errors.ResponseError).meta.statusCode).toBe(401);
      expect((err as errors.ResponseError).message).toContain('security_exception');
    } finally {
      await client.close();
    }
    expect(await outputs('es-wrong-key')).toEqual([]);
  });

  it('takes basic auth with the token as password and the encoded id:key form', async () => {
    const basic = Buffer.from(`elastic:${TOKEN}`).toString('base64');
    const r = await bulk('{"index":{"_index":"a"}}\n{"title":"es-basic"}\n', `Basic ${basic}`);
    expect(r.status).toBe(200);
    expect(r.headers['x-elastic-product']).toBe('Elasticsearch');
    const encoded = Buffer.from(`key-id:${TOKEN}`).toString('base64');
    expect((await bulk('{"index":{"_index":"a"}}\n{"title":"es-encoded"}\n', `ApiKey ${encoded}`)).status).toBe(200);
  });

  it('answers each bulk item in the documented shape, failing only the bad ones', async () => {
    const body = [
      '{"index":{"_id":"i1"}}', '{"title":"es-items index"}',
      '{"create":{}}', '{"title": not json}',
      '{"update":{"_id":"i1"}}', '{"doc":{"title":"es-items update"}}',
      '{"delete":{"_id":"i1"}}',
    ].join('\n') + '\n';
    const r = await bulk(body, `ApiKey ${TOKEN}`, 'items-index/_bulk');
    expect(r.status).toBe(200);
    const answer = r.json<{ errors: boolean; took: number; items: Record<string, Record<string, unknown>>[] }>();
    expect(answer.errors).toBe(true);
    expect(answer.items.map((i) => Object.keys(i)[0])).toEqual(['index', 'create', 'update', 'delete']);
    expect(answer.items[0]!.index).toMatchObject({ _index: 'items-index', _id: 'i1', result: 'created', status: 201, _shards: { total: 2, successful: 1, failed: 0 } });
    expect(answer.items[1]!.create).toMatchObject({ _index: 'items-index', status: 400, error: { type: 'document_parsing_exception' } });
    expect(answer.items[1]!.create!._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(answer.items[2]!.update).toMatchObject({ result: 'updated', status: 200 });
    expect(answer.items[3]!.delete).toMatchObject({ result: 'deleted', status: 200 });
    expect((await outputs('es-items')).map((o) => o.summary.action).sort()).toEqual(['index', 'update']);
  });

  it('refuses a malformed bulk request whole, in Elasticsearch’s error shape', async () => {
    const cases: [string, string, string][] = [
      ['{"index":{"_index":"a"}}\n{"title":"es-no-newline"}', 'illegal_argument_exception', 'terminated by a newline'],
      ['{"frobnicate":{}}\n{"title":"es-bad-action"}\n', 'illegal_argument_exception', 'Malformed action/metadata line [1]'],
      ['not json\n', 'illegal_argument_exception', 'Malformed action/metadata line [1]'],
      ['{"index":{}}\n{"title":"es-no-index"}\n', 'action_request_validation_exception', 'index is missing'],
      ['{"index":{"_index":"UPPER"}}\n{"title":"es-bad-index"}\n', 'invalid_index_name_exception', 'must be lowercase'],
    ];
    for (const [body, type, reason] of cases) {
      const r = await bulk(body);
      expect(r.status, body).toBe(400);
      expect(r.headers['x-elastic-product']).toBe('Elasticsearch');
      const answer = r.json<{ error: { type: string; reason: string; root_cause: unknown[] }; status: number }>();
      expect(answer.status).toBe(400);
      expect(answer.error.type).toBe(type);
      expect(answer.error.reason).toContain(reason);
      expect(answer.error.root_cause).toHaveLength(1);
    }
    expect(await outputs('es-no-newline')).toEqual([]);
    expect(await outputs('es-bad-action')).toEqual([]);
  });

  it('stores single documents sent with PUT and POST', async () => {
    const put = await rawRequest(sink + 'docs/_doc/abc', { method: 'PUT', headers: [['Authorization', `ApiKey ${TOKEN}`], ['Content-Type', 'application/json']], body: '{"title":"es-put"}' });
    expect([put.status, put.json()]).toEqual([201, expect.objectContaining({ _index: 'docs', _id: 'abc', result: 'created', _version: 1 })]);
    const bad = await rawRequest(sink + 'docs/_doc', { headers: [['Authorization', `ApiKey ${TOKEN}`]], body: '{oops' });
    expect(bad.status).toBe(400);
    expect(bad.json().error.type).toBe('document_parsing_exception');
    expect(await outputs('es-put')).toHaveLength(1);
  });
});
