// The Elasticsearch sink keeps documents' versions as Elasticsearch does: `create` of an id that
// exists in the index fails that item with 409 version_conflict_engine_exception (bulk and
// PUT /<index>/_create/<id>), `index` replaces it ("updated", version + 1). The official client
// (@elastic/elasticsearch: create, index, helpers.bulk's onDrop) is the oracle for the shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, errors } from '@elastic/elasticsearch';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { getJson, rawRequest } from '../helpers/http.ts';
import type { OutputSummary } from '../../server/common/protocol.ts';

const TOKEN = 'elastic-versions-key';
let t: TestInspector;
let client: Client;

beforeAll(async () => {
  t = await startTestInspector({ sinkToken: TOKEN });
  client = new Client({ node: t.inspector.sinkUrl, auth: { apiKey: TOKEN } });
});
afterAll(async () => {
  await client.close();
  await t.close();
});

const outputs = async (q: string) =>
  (await getJson<{ items: OutputSummary[] }>(`${t.uiUrl}api/outputs?limit=100&q=${encodeURIComponent(q)}`)).items;

const bulk = (body: string) =>
  rawRequest(`${t.inspector.sinkUrl}_bulk`, { headers: [['Content-Type', 'application/x-ndjson'], ['Authorization', `ApiKey ${TOKEN}`]], body });

type Item = Record<string, { _index: string; _id: string; status: number; result?: string; _version?: number; error?: Record<string, unknown> }>;

describe('Elasticsearch sink: create is refused for an existing id, index replaces', () => {
  it('answers the official client: create twice is a 409 conflict, index then updates with the next version', async () => {
    const first = await client.create({ index: 'versions', id: 'doc-a', document: { title: 'es-version first' } });
    expect(first).toMatchObject({ _index: 'versions', _id: 'doc-a', result: 'created', _version: 1 });

    const again = await client.create({ index: 'versions', id: 'doc-a', document: { title: 'es-version again' } }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(errors.ResponseError);
    const conflict = again as errors.ResponseError;
    expect(conflict.meta.statusCode).toBe(409);
    expect(conflict.body).toMatchObject({
      status: 409,
      error: {
        type: 'version_conflict_engine_exception',
        reason: '[doc-a]: version conflict, document already exists (current version [1])',
        index: 'versions', shard: '0', index_uuid: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        root_cause: [expect.objectContaining({ type: 'version_conflict_engine_exception', index: 'versions' })],
      },
    });

    const replaced = await client.index({ index: 'versions', id: 'doc-a', document: { title: 'es-version replaced' } });
    expect(replaced).toMatchObject({ _id: 'doc-a', result: 'updated', _version: 2 });
    const replacedAgain = await client.index({ index: 'versions', id: 'doc-a', document: { title: 'es-version replaced twice' } });
    expect(replacedAgain).toMatchObject({ result: 'updated', _version: 3 });

    // The same id in another index is another document.
    const elsewhere = await client.create({ index: 'versions-other', id: 'doc-a', document: { title: 'es-version elsewhere' } });
    expect(elsewhere).toMatchObject({ result: 'created', _version: 1 });

    // Every item is stored (it is what the connector sent); the refused one says so.
    const refused = await outputs('es-version again');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.summary).toEqual({ action: 'create', index: 'versions', id: 'doc-a', answer: '409 version_conflict_engine_exception' });
    expect((await outputs('es-version replaced'))[0]!.summary).toEqual({ action: 'index', index: 'versions', id: 'doc-a' });
  });

  it('makes helpers.bulk report the conflicting item and count the others as successful', async () => {
    await client.create({ index: 'helper-versions', id: 'taken', document: { title: 'es-helper taken' } });
    const docs = [
      { id: 'taken', title: 'es-helper conflict' },
      { id: 'free-1', title: 'es-helper free 1' },
      { id: 'free-2', title: 'es-helper free 2' },
    ];
    const dropped: { status: number; error: { type: string; reason: string }; document: unknown }[] = [];
    const stats = await client.helpers.bulk({
      datasource: docs,
      onDocument: (d) => ({ create: { _index: 'helper-versions', _id: d.id } }),
      onDrop: (d) => dropped.push(d as unknown as (typeof dropped)[number]),
    });
    expect(stats).toMatchObject({ total: 3, successful: 2, failed: 1 });
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({
      status: 409,
      error: { type: 'version_conflict_engine_exception', reason: '[taken]: version conflict, document already exists (current version [1])' },
      document: { id: 'taken', title: 'es-helper conflict' },
    });
  });

  it('answers each NDJSON item in Elasticsearch’s shape, within one request and across requests', async () => {
    const body = [
      '{"create":{"_index":"ndjson-versions","_id":"x"}}', '{"title":"es-ndjson 1"}',
      '{"create":{"_index":"ndjson-versions","_id":"x"}}', '{"title":"es-ndjson 2"}',
      '{"index":{"_index":"ndjson-versions","_id":"x"}}', '{"title":"es-ndjson 3"}',
      '{"delete":{"_index":"ndjson-versions","_id":"x"}}',
      '{"create":{"_index":"ndjson-versions","_id":"x"}}', '{"title":"es-ndjson 4"}',
      '{"create":{"_index":"ndjson-versions"}}', '{"title":"es-ndjson generated"}',
    ].join('\n') + '\n';
    const r = await bulk(body);
    expect(r.status).toBe(200);
    const answer = r.json<{ errors: boolean; items: Item[] }>();
    expect(answer.errors).toBe(true);
    const items = answer.items.map((i) => Object.entries(i)[0]!);
    expect(items.map(([action, v]) => [action, v.status, v.result ?? v.error?.type, v._version])).toEqual([
      ['create', 201, 'created', 1],
      ['create', 409, 'version_conflict_engine_exception', undefined],
      ['index', 200, 'updated', 2],
      ['delete', 200, 'deleted', 3],
      // After a delete the id is free again, at the next version (Elasticsearch keeps the tombstone's version).
      ['create', 201, 'created', 4],
      ['create', 201, 'created', 1],
    ]);
    expect(items[1]![1]).toEqual({
      _index: 'ndjson-versions', _id: 'x', status: 409,
      error: {
        type: 'version_conflict_engine_exception', reason: '[x]: version conflict, document already exists (current version [1])',
        index_uuid: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), shard: '0', index: 'ndjson-versions',
      },
    });

    // Across requests: the id is taken (version 4 now).
    const later = (await bulk('{"create":{"_index":"ndjson-versions","_id":"x"}}\n{"title":"es-ndjson 5"}\n')).json<{ errors: boolean; items: Item[] }>();
    expect(later.errors).toBe(true);
    expect(later.items[0]!.create).toMatchObject({ status: 409, error: { reason: '[x]: version conflict, document already exists (current version [4])' } });
    // Every item with a source is stored, the refused ones included (the delete has no text to find).
    expect((await outputs('es-ndjson')).map((o) => o.title).sort()).toEqual(
      ['es-ndjson 1', 'es-ndjson 2', 'es-ndjson 3', 'es-ndjson 4', 'es-ndjson 5', 'es-ndjson generated']);
  });

  it('answers PUT /<index>/_create/<id> with 409 once the id exists', async () => {
    const put = (title: string) => rawRequest(`${t.inspector.sinkUrl}put-versions/_create/p1`, {
      method: 'PUT', headers: [['Authorization', `ApiKey ${TOKEN}`], ['Content-Type', 'application/json']], body: JSON.stringify({ title }),
    });
    const first = await put('es-put-create 1');
    expect([first.status, first.json()]).toEqual([201, expect.objectContaining({ result: 'created', _version: 1 })]);
    const second = await put('es-put-create 2');
    expect(second.status).toBe(409);
    expect(second.headers['x-elastic-product']).toBe('Elasticsearch');
    expect(second.json()).toMatchObject({ status: 409, error: { type: 'version_conflict_engine_exception', index: 'put-versions' } });
    // The same through _doc with op_type=create; without it, _doc replaces.
    const doc = (query: string) => rawRequest(`${t.inspector.sinkUrl}put-versions/_doc/p1${query}`, {
      method: 'PUT', headers: [['Authorization', `ApiKey ${TOKEN}`], ['Content-Type', 'application/json']], body: '{"title":"es-put-doc"}',
    });
    expect((await doc('?op_type=create')).status).toBe(409);
    const replaced = await doc('');
    expect([replaced.status, replaced.json()]).toEqual([200, expect.objectContaining({ result: 'updated', _version: 2 })]);
  });
});
