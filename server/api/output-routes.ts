// REST routes for SIEM outputs (what the sinks received): list with `q`, `limit`, `before`;
// detail; delete one or all matching (declared in common/contract/routes.ts). `q` takes `sink:hec|elastic|syslog|http`,
// `linked:yes|no`, `delivery:<id>` and free words (matched in title and body).
import type { OutputStore, OutputQuery } from '../store/outputs.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import { ApiError, createContractApp } from './errors.ts';
import type { SinkKind } from '../common/protocol.ts';
import type { createOutputFeed } from '../stream/output-feed.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { mapDelivery, type SiemFormat } from '../siem/index.ts';
import { compareOutput, formatForSink } from '../sink/compare.ts';

const SINKS = new Set<string>(['hec', 'elastic', 'syslog', 'http']);

export function parseOutputQuery(q: string): OutputQuery {
  if (q.length > 2000) throw ApiError.badField('q', 'is too long (2000 characters at most)');
  const query: OutputQuery = { words: [] };
  for (const token of q.match(/"[^"]*"|\S+/g) ?? []) {
    const m = /^(sink|linked|delivery):(.*)$/i.exec(token);
    if (!m) {
      const word = token.replace(/^"|"$/g, '');
      if (word !== '') query.words.push(word);
      continue;
    }
    const value = m[2]!.toLowerCase();
    const field = m[1]!.toLowerCase();
    if (field === 'sink') {
      if (!SINKS.has(value)) throw ApiError.badField('q', `sink: must be hec, elastic, syslog or http, got "${value.slice(0, 40)}"`);
      query.sink = value as SinkKind;
    } else if (field === 'linked') {
      if (!/^(yes|no|true|false)$/.test(value)) throw ApiError.badField('q', 'linked: must be yes or no');
      query.linked = value === 'yes' || value === 'true';
    } else {
      if (!/^\d{1,15}$/.test(value)) throw ApiError.badField('q', 'delivery: must be a delivery id');
      query.deliveryId = Number(value);
    }
  }
  return query;
}

export function createOutputRoutes(deps: { outputs: OutputStore; feed: ReturnType<typeof createOutputFeed>; deliveries: DeliveryStore }) {
  const notFound = (id: number) => new ApiError(404, `output ${id} not found`);
  return createContractApp()
    .openapi(API_ROUTES.listOutputs, (c) => {
      const params = c.req.valid('query');
      const limit = params.limit ?? 100;
      const items = deps.outputs.list(parseOutputQuery(params.q ?? ''), { limit: limit + 1, ...(params.before !== undefined && { before: params.before }) });
      const more = items.length > limit;
      if (more) items.pop();
      return c.json({ items, next: more ? items[items.length - 1]!.id : null }, 200);
    })
    .openapi(API_ROUTES.getOutput, (c) => {
      const { id } = c.req.valid('param');
      const output = deps.outputs.get(id);
      if (!output) throw notFound(id);
      return c.json(output, 200);
    })
    // The output beside the reference mapping of its delivery, field by field (`?format=` overrides the sink's).
    .openapi(API_ROUTES.compareOutput, (c) => {
      const { id } = c.req.valid('param');
      const output = deps.outputs.get(id);
      if (!output) throw notFound(id);
      const format: SiemFormat = c.req.valid('query').format ?? formatForSink(output.sink, output.fields);
      if (output.deliveryId === null) return c.json({ format, reference: null, rows: [], reason: `this output matches no delivery: ${output.linkNote ?? ''}` }, 200);
      const delivery = deps.deliveries.get(output.deliveryId);
      if (!delivery) return c.json({ format, reference: null, rows: [], reason: `delivery ${output.deliveryId} is no longer stored` }, 200);
      const mapped = mapDelivery(format, { id: delivery.id, receivedAt: delivery.receivedAt, body: Buffer.from(delivery.bodyBase64, 'base64'), bodySha256: delivery.bodySha256 });
      if (!mapped.ok) return c.json({ format, reference: null, rows: [], reason: mapped.reason }, 200);
      return c.json({ format, reference: mapped.mapping.output, rows: compareOutput(format, mapped.mapping.output, output.fields), reason: null }, 200);
    })
    .openapi(API_ROUTES.deleteOutput, (c) => {
      const { id } = c.req.valid('param');
      if (!deps.outputs.remove(id)) throw notFound(id);
      deps.feed.publishDeleted([id]);
      return c.json({ deleted: 1 }, 200);
    })
    .openapi(API_ROUTES.deleteOutputs, (c) => {
      const query = parseOutputQuery(c.req.valid('query').q ?? '');
      const all = query.sink === undefined && query.linked === undefined && query.deliveryId === undefined && query.words.length === 0;
      const ids = deps.outputs.removeMatching(query);
      if (ids.length > 0) deps.feed.publishDeleted(all ? 'all' : ids);
      return c.json({ deleted: ids.length }, 200);
    });
}
