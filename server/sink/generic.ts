// Generic HTTP JSON sink: any other POST on the sink port is stored as-is, for SIEMs with
// their own ingestion APIs (e.g. Microsoft Sentinel's Logs Ingestion API,
// POST /dataCollectionRules/<id>/streams/<name>, a JSON array of records: one output per
// record). Anything that is not a JSON array is one output.
import type { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { buildOutput } from './output-record.ts';
import { splitArray } from './json-split.ts';
import { credentialOf, headersOf, isAuthorized, readSinkBody, remoteOf, type SinkHttpDeps } from './http-common.ts';
import { decodeUtf8 } from '../delivery/new-delivery.ts';

export function addGenericRoute(app: Hono<{ Bindings: HttpBindings }>, deps: SinkHttpDeps): void {
  app.post('*', async (c) => {
    if (!isAuthorized(deps.token, credentialOf(c.req.header('authorization')))) {
      c.header('www-authenticate', 'Bearer');
      return c.json({ error: { code: 'InvalidAuthenticationToken', message: 'the request has no valid --sink-token credential' } }, 401);
    }
    const read = await readSinkBody(c, deps.maxBody);
    if (!read.ok) return c.json({ error: { code: 'BadRequest', message: read.message } }, read.status);
    const text = decodeUtf8(read.body);
    const receivedAt = Date.now();
    const base = { sink: 'http' as const, transport: 'http' as const, receivedAt, method: c.req.method, path: c.req.path, remoteAddress: remoteOf(c), headers: headersOf(c) };
    const records = text === null ? null : splitArray(text);
    const contentType = c.req.header('content-type') ?? '';
    const outputs = records && records.length > 0
      ? records.map((r, i) => buildOutput({ ...base, body: Buffer.from(r.text), fields: r.value, fieldsAreBody: true, summary: { record: `${i + 1} of ${records.length}`, contentType } }))
      : [buildOutput({ ...base, body: read.body, fields: parseOrText(text), summary: { contentType }, ...(text !== null && { embedded: [text] }) })];
    try {
      await deps.ingest.submit(outputs);
    } catch (err) {
      return c.json({ error: { code: 'ServiceUnavailable', message: `could not store the request: ${(err as Error).message}` } }, 503);
    }
    // The Logs Ingestion API answers 204 No Content on success.
    return c.body(null, 204);
  });
}

function parseOrText(text: string | null): unknown {
  if (text === null) return { binary: true };
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
