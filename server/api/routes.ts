// REST routes of the UI listener: health, deliveries (list, detail, raw, curl, delete),
// facets, histogram and the simulated receiver answer. JSON in camelCase; bad input is a
// 4xx with { error }, never a 500.
import { sanitizeForTerminal } from '../log.ts';
import { Hono, type Context } from 'hono';
import type { DeliveryDetail, Health, OutputSummary, ReceiverResponseSetting, SinkHealth } from '../shared/protocol.ts';
import { QuestionDropped, type Reader } from '../store/reader.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { Hub } from '../stream/hub.ts';
import { mergeQueries, parseQuery, type FieldTerm, type ParsedQuery, type QueryField } from '../shared/query.ts';
import { fixedTarget, formatCurl, type CurlTarget } from '../export/curl.ts';
import { queryProblem } from '../shared/query-values.ts';

export interface ApiDeps {
  deliveries: DeliveryStore;
  /** Where queries that read many rows run, off the event loop (the store itself when absent). */
  reader?: Pick<Reader, 'histogram' | 'facets'>;
  attempts: AttemptStore;
  hub: Hub;
  version: string;
  receiverUrl: () => string;
  uiUrl: () => string;
  response: ReceiverResponseSetting;
  info: Pick<Health, 'tokenCount' | 'requireUserAgent' | 'acceptInvalid' | 'maxBody' | 'durability'>;
  /** The SIEM sinks (issue 14): their health, and the outputs linked to a delivery. */
  sinks?: { health(): SinkHealth; linkedTo(deliveryId: number): OutputSummary[] };
}

export class BadRequest extends Error {}

/** REST filter parameters, named as in DESIGN.md, mapped onto query fields. */
const PARAM_FIELDS: Record<string, QueryField> = {
  category: 'category',
  event_type: 'event_type',
  sensitivity: 'sensitivity',
  verdict: 'sig',
  signature: 'sig',
  ua: 'ua',
  path: 'path',
  method: 'method',
  replay: 'replay',
  forward: 'forward',
  attempt: 'attempt',
  via: 'via',
  target: 'target',
  output: 'output',
  after: 'after',
};

/** Filter from the request: `q` plus the named parameters (each repeatable), ANDed. */
export function queryFromRequest(c: Context): ParsedQuery {
  const q = c.req.query('q') ?? '';
  if (q.length > 2000) throw new BadRequest('q is too long (2000 characters at most)');
  const fields: FieldTerm[] = [];
  for (const [param, field] of Object.entries(PARAM_FIELDS)) {
    for (const value of c.req.queries(param) ?? []) if (value !== '') fields.push({ field, value, negate: false });
  }
  const query = mergeQueries(parseQuery(q), { fields, words: [] });
  const problem = queryProblem(query);
  if (problem) throw new BadRequest(problem);
  return query;
}

function intParam(c: Context, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new BadRequest(`${name} must be a whole number, got "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new BadRequest(`${name} must be between ${min} and ${max}`);
  return n;
}

export function idParam(c: Context): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new BadRequest(`delivery id must be a number, got "${raw.slice(0, 40)}"`);
  return Number(raw);
}

export function createApiRoutes(deps: ApiDeps) {
  const api = new Hono();
  const { deliveries, attempts } = deps;

  api.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: err.message }, 400);
    console.error(sanitizeForTerminal(`api error: ${(err as Error).message}`, 1000));
    return c.json({ error: 'internal error' }, 500);
  });

  api.get('/health', (c) => {
    const s = deliveries.stats();
    const body: Health = {
      ok: true,
      version: deps.version,
      receiverUrl: deps.receiverUrl(),
      uiUrl: deps.uiUrl(),
      deliveries: s.total,
      lastId: s.lastId,
      pruned: s.pruned,
      maxDeliveries: deliveries.maxDeliveries,
      response: { ...deps.response },
      ...deps.info,
      ...(deps.sinks && { sinks: deps.sinks.health() }),
    };
    return c.json(body);
  });

  api.get('/deliveries', (c) => {
    const query = queryFromRequest(c);
    const limit = intParam(c, 'limit', 100, 1, 500)!;
    const before = intParam(c, 'before', undefined, 0, Number.MAX_SAFE_INTEGER);
    const items = deliveries.list(query, { limit: limit + 1, ...(before !== undefined && { before }) });
    const more = items.length > limit;
    if (more) items.pop();
    return c.json({ items, next: more ? items[items.length - 1]!.id : null });
  });

  api.get('/deliveries/:id', (c) => {
    const id = idParam(c);
    const d = deliveries.get(id);
    if (!d) return c.json({ error: `delivery ${id} not found` }, 404);
    const detail: DeliveryDetail = { ...d, attempts: attempts.list(id), ...(deps.sinks && { outputs: deps.sinks.linkedTo(id) }) };
    return c.json(detail);
  });

  api.get('/deliveries/:id/raw', (c) => {
    const id = idParam(c);
    const raw = deliveries.getRaw(id);
    if (!raw) return c.json({ error: `delivery ${id} not found` }, 404);
    return new Response(new Uint8Array(raw.body), {
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="delivery-${id}.bin"`,
        // Opened directly, the bytes run in an opaque origin with no scripts.
        'content-security-policy': 'sandbox',
        'content-length': String(raw.body.length),
      },
    });
  });

  api.get('/deliveries/:id/curl', (c) => {
    const id = idParam(c);
    const raw = deliveries.getRaw(id);
    if (!raw) return c.json({ error: `delivery ${id} not found` }, 404);
    // The command goes to the receiver (or ?target=): never to a host the captured path names.
    let target: CurlTarget;
    try {
      target = fixedTarget(c.req.query('target') || deps.receiverUrl());
    } catch (err) {
      return c.json({ error: `target: ${err instanceof Error ? err.message : String(err)}` }, 400);
    }
    return c.text(formatCurl(raw, target));
  });

  /**
   * A question for the reader thread; if that thread is gone, the store answers here. Null
   * when the client went away before its question was asked (nobody to answer).
   */
  async function heavy<T>(ask: (reader: NonNullable<ApiDeps['reader']>) => Promise<T>, here: () => T): Promise<T | null> {
    if (!deps.reader) return here();
    try {
      return await ask(deps.reader);
    } catch (err) {
      if (err instanceof QuestionDropped) return null;
      return here();
    }
  }
  const gone = (c: Context) => c.json({ error: 'the request was aborted' }, 503);

  // Field filters count from the counts table (cheap, here); free-text words and the outcome
  // and time fields read every matching row (reader thread).
  api.get('/facets', async (c) => {
    const query = queryFromRequest(c);
    if (deliveries.countsAnswer(query)) return c.json(deliveries.facets(query));
    const facets = await heavy((r) => r.facets(query, c.req.raw.signal), () => deliveries.facets(query));
    return facets ? c.json(facets) : gone(c);
  });

  api.get('/histogram', async (c) => {
    const buckets = intParam(c, 'buckets', 60, 1, 500)!;
    const query = queryFromRequest(c);
    // Field filters sum the buckets kept on write (a few thousand rows, here); free text and
    // the other fields read every matching row (reader thread).
    const quick = deliveries.quickHistogram(query, buckets);
    if (quick) return c.json(quick);
    const histogram = await heavy((r) => r.histogram(query, buckets, c.req.raw.signal), () => deliveries.histogram(query, buckets));
    return histogram ? c.json(histogram) : gone(c);
  });

  api.delete('/deliveries/:id', (c) => {
    const id = idParam(c);
    if (!deliveries.remove(id)) return c.json({ error: `delivery ${id} not found` }, 404);
    deps.hub.publishDeleted([id]);
    return c.json({ deleted: 1 });
  });

  api.delete('/deliveries', (c) => {
    const query = queryFromRequest(c);
    const all = query.fields.length === 0 && query.words.length === 0;
    const ids = deliveries.removeMatching(query);
    if (ids.length > 0) deps.hub.publishDeleted(all ? 'all' : ids);
    return c.json({ deleted: ids.length });
  });

  api.put('/settings/response', async (c) => {
    const body = await readJson(c);
    const status = body.status ?? deps.response.status;
    const delayMs = body.delayMs ?? deps.response.delayMs;
    if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
      throw new BadRequest('status must be a whole number between 200 and 599');
    }
    if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > 60_000) {
      throw new BadRequest('delayMs must be a whole number between 0 and 60000');
    }
    deps.response.status = status as number;
    deps.response.delayMs = delayMs as number;
    return c.json({ ...deps.response });
  });

  api.all('*', (c) => c.json({ error: `no such API route: ${c.req.method} ${c.req.path}` }, 404));
  return api;
}

/** The JSON object body of a request, or a 400. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BadRequest('the request body must be a JSON object');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

