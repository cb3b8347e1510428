// REST routes for SIEM outputs (what the sinks received): list with `q`, `limit`, `before`;
// detail; delete one or all matching. `q` takes `sink:hec|elastic|syslog|http`,
// `linked:yes|no`, `delivery:<id>` and free words (matched in title and body).
import { Hono } from 'hono';
import type { OutputStore, OutputQuery } from '../store/outputs.ts';
import type { SinkKind } from '../shared/protocol.ts';
import type { createOutputFeed } from '../stream/output-feed.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { mapDelivery, type SiemFormat } from '../siem/index.ts';
import { compareOutput, formatForSink } from '../sink/compare.ts';

const FORMATS = new Set<string>(['ocsf', 'ecs', 'cef', 'hec']);

class BadOutputRequest extends Error {}

const SINKS = new Set<string>(['hec', 'elastic', 'syslog', 'http']);

export function parseOutputQuery(q: string): OutputQuery {
  if (q.length > 2000) throw new BadOutputRequest('q is too long (2000 characters at most)');
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
      if (!SINKS.has(value)) throw new BadOutputRequest(`sink: must be hec, elastic, syslog or http, got "${value.slice(0, 40)}"`);
      query.sink = value as SinkKind;
    } else if (field === 'linked') {
      if (!/^(yes|no|true|false)$/.test(value)) throw new BadOutputRequest('linked: must be yes or no');
      query.linked = value === 'yes' || value === 'true';
    } else {
      if (!/^\d{1,15}$/.test(value)) throw new BadOutputRequest('delivery: must be a delivery id');
      query.deliveryId = Number(value);
    }
  }
  return query;
}

function intOf(raw: string | undefined, name: string, fallback: number | undefined, max: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw new BadOutputRequest(`${name} must be a whole number, got "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < 1 || n > max) throw new BadOutputRequest(`${name} must be between 1 and ${max}`);
  return n;
}

export function createOutputRoutes(deps: { outputs: OutputStore; feed: ReturnType<typeof createOutputFeed>; deliveries: DeliveryStore }) {
  const api = new Hono();
  api.onError((err, c) => {
    if (err instanceof BadOutputRequest) return c.json({ error: err.message }, 400);
    return c.json({ error: 'internal error' }, 500);
  });
  const idOf = (raw: string) => {
    if (!/^\d{1,15}$/.test(raw)) throw new BadOutputRequest(`output id must be a number, got "${raw.slice(0, 40)}"`);
    return Number(raw);
  };

  api.get('/outputs', (c) => {
    const query = parseOutputQuery(c.req.query('q') ?? '');
    const limit = intOf(c.req.query('limit'), 'limit', 100, 500)!;
    const before = intOf(c.req.query('before'), 'before', undefined, Number.MAX_SAFE_INTEGER);
    const items = deps.outputs.list(query, { limit: limit + 1, ...(before !== undefined && { before }) });
    const more = items.length > limit;
    if (more) items.pop();
    return c.json({ items, next: more ? items[items.length - 1]!.id : null });
  });

  api.get('/outputs/:id', (c) => {
    const id = idOf(c.req.param('id'));
    const output = deps.outputs.get(id);
    return output ? c.json(output) : c.json({ error: `output ${id} not found` }, 404);
  });

  // The output beside the reference mapping of its delivery, field by field (`?format=` overrides the sink's).
  api.get('/outputs/:id/compare', (c) => {
    const id = idOf(c.req.param('id'));
    const output = deps.outputs.get(id);
    if (!output) return c.json({ error: `output ${id} not found` }, 404);
    const asked = c.req.query('format');
    if (asked !== undefined && !FORMATS.has(asked)) throw new BadOutputRequest('format must be ocsf, ecs, cef or hec');
    const format = (asked as SiemFormat | undefined) ?? formatForSink(output.sink, output.fields);
    if (output.deliveryId === null) return c.json({ format, reference: null, rows: [], reason: `this output matches no delivery: ${output.linkNote ?? ''}` });
    const delivery = deps.deliveries.get(output.deliveryId);
    if (!delivery) return c.json({ format, reference: null, rows: [], reason: `delivery ${output.deliveryId} is no longer stored` });
    const mapped = mapDelivery(format, { id: delivery.id, receivedAt: delivery.receivedAt, body: Buffer.from(delivery.bodyBase64, 'base64'), bodySha256: delivery.bodySha256 });
    if (!mapped.ok) return c.json({ format, reference: null, rows: [], reason: mapped.reason });
    return c.json({ format, reference: mapped.mapping.output, rows: compareOutput(format, mapped.mapping.output, output.fields), reason: null });
  });

  api.delete('/outputs/:id', (c) => {
    const id = idOf(c.req.param('id'));
    if (!deps.outputs.remove(id)) return c.json({ error: `output ${id} not found` }, 404);
    deps.feed.publishDeleted([id]);
    return c.json({ deleted: 1 });
  });

  api.delete('/outputs', (c) => {
    const query = parseOutputQuery(c.req.query('q') ?? '');
    const all = query.sink === undefined && query.linked === undefined && query.deliveryId === undefined && query.words.length === 0;
    const ids = deps.outputs.removeMatching(query);
    if (ids.length > 0) deps.feed.publishDeleted(all ? 'all' : ids);
    return c.json({ deleted: ids.length });
  });

  return api;
}
