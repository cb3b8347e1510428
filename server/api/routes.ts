// REST routes of the UI listener: health, deliveries (list, detail, raw, curl, delete),
// facets, histogram and the simulated receiver answer, each declared in the contract
// (common/contract/routes.ts) and validated by it. Bad input is a 4xx, never a 500.
import { bodyKindOfBytes, rawFileName } from '../common/raw-file-name.ts';
import type { DeliveryDetail, Health, OutputSummary, ReceiverResponseSetting, SinkHealth } from '../common/protocol.ts';
import { QuestionDropped, type Reader } from '../store/reader.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { Hub } from '../stream/hub.ts';
import { mergeQueries, parseQuery, type FieldTerm, type ParsedQuery, type QueryField } from '../common/query.ts';
import { fixedTarget, formatCurl, type CurlTarget } from '../export/curl.ts';
import { queryProblem } from '../common/query-values.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import { ApiError, createContractApp } from './errors.ts';

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

/** REST filter parameters, named as in DESIGN.md, mapped onto query fields. */
const PARAM_FIELDS = {
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
} as const satisfies Record<string, QueryField>;

type FilterParams = { q?: string | undefined } & { [K in keyof typeof PARAM_FIELDS]?: string | string[] | undefined };

/** Filter from a validated query: `q` plus the named parameters (each repeatable), ANDed. */
export function queryFromParams(params: FilterParams): ParsedQuery {
  const fields: FieldTerm[] = [];
  for (const [param, field] of Object.entries(PARAM_FIELDS) as [keyof typeof PARAM_FIELDS, QueryField][]) {
    const given = params[param];
    for (const value of given === undefined ? [] : Array.isArray(given) ? given : [given]) if (value !== '') fields.push({ field, value, negate: false });
  }
  const query = mergeQueries(parseQuery(params.q ?? ''), { fields, words: [] });
  const problem = queryProblem(query);
  if (problem) throw ApiError.badField('q', problem);
  return query;
}

export function createApiRoutes(deps: ApiDeps) {
  const { deliveries, attempts } = deps;
  const notFound = (id: number) => new ApiError(404, `delivery ${id} not found`);

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
  const gone = () => new ApiError(503, 'the request was aborted');

  return createContractApp()
    .openapi(API_ROUTES.health, (c) => {
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
      return c.json(body, 200);
    })
    .openapi(API_ROUTES.listDeliveries, (c) => {
      const params = c.req.valid('query');
      const limit = params.limit ?? 100;
      const items = deliveries.list(queryFromParams(params), { limit: limit + 1, ...(params.before !== undefined && { before: params.before }) });
      const more = items.length > limit;
      if (more) items.pop();
      return c.json({ items, next: more ? items[items.length - 1]!.id : null }, 200);
    })
    .openapi(API_ROUTES.getDelivery, (c) => {
      const { id } = c.req.valid('param');
      const d = deliveries.get(id);
      if (!d) throw notFound(id);
      const detail: DeliveryDetail = { ...d, attempts: attempts.list(id), ...(deps.sinks && { outputs: deps.sinks.linkedTo(id) }) };
      return c.json(detail, 200);
    })
    .openapi(API_ROUTES.getRawBody, (c) => {
      const { id } = c.req.valid('param');
      const raw = deliveries.getRaw(id);
      if (!raw) throw notFound(id);
      return new Response(new Uint8Array(raw.body), {
        headers: {
          'content-type': 'application/octet-stream',
          // The extension fits the body (.json, .txt, .bin); the type stays opaque so nothing renders it.
          'content-disposition': `attachment; filename="${rawFileName(id, bodyKindOfBytes(raw.body))}"`,
          // Opened directly, the bytes run in an opaque origin with no scripts.
          'content-security-policy': 'sandbox',
          'content-length': String(raw.body.length),
        },
      });
    })
    .openapi(API_ROUTES.getCurl, (c) => {
      const { id } = c.req.valid('param');
      const raw = deliveries.getRaw(id);
      if (!raw) throw notFound(id);
      // The command goes to the receiver (or ?target=): never to a host the captured path names.
      let target: CurlTarget;
      try {
        target = fixedTarget(c.req.valid('query').target || deps.receiverUrl());
      } catch (err) {
        throw ApiError.badField('target', err instanceof Error ? err.message : String(err));
      }
      return c.text(formatCurl(raw, target), 200);
    })
    // Field filters count from the counts table (cheap, here); free-text words and the outcome
    // and time fields read every matching row (reader thread).
    .openapi(API_ROUTES.facets, async (c) => {
      const query = queryFromParams(c.req.valid('query'));
      if (deliveries.countsAnswer(query)) return c.json(deliveries.facets(query), 200);
      const facets = await heavy((r) => r.facets(query, c.req.raw.signal), () => deliveries.facets(query));
      if (!facets) throw gone();
      return c.json(facets, 200);
    })
    .openapi(API_ROUTES.histogram, async (c) => {
      const params = c.req.valid('query');
      const buckets = params.buckets ?? 60;
      const query = queryFromParams(params);
      // Field filters sum the buckets kept on write (a few thousand rows, here); free text and
      // the other fields read every matching row (reader thread).
      const quick = deliveries.quickHistogram(query, buckets);
      if (quick) return c.json(quick, 200);
      const histogram = await heavy((r) => r.histogram(query, buckets, c.req.raw.signal), () => deliveries.histogram(query, buckets));
      if (!histogram) throw gone();
      return c.json(histogram, 200);
    })
    .openapi(API_ROUTES.deleteDelivery, (c) => {
      const { id } = c.req.valid('param');
      if (!deliveries.remove(id)) throw notFound(id);
      deps.hub.publishDeleted([id]);
      return c.json({ deleted: 1 }, 200);
    })
    .openapi(API_ROUTES.deleteMatching, (c) => {
      const query = queryFromParams(c.req.valid('query'));
      const all = query.fields.length === 0 && query.words.length === 0;
      const ids = deliveries.removeMatching(query);
      if (ids.length > 0) deps.hub.publishDeleted(all ? 'all' : ids);
      return c.json({ deleted: ids.length }, 200);
    })
    .openapi(API_ROUTES.setResponse, (c) => {
      const update = c.req.valid('json');
      deps.response.status = update.status ?? deps.response.status;
      deps.response.delayMs = update.delayMs ?? deps.response.delayMs;
      return c.json({ ...deps.response }, 200);
    });
}
