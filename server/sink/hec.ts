// Splunk HTTP Event Collector routes, answering with Splunk's own {"text","code"} table
// (docs.splunk.com "Troubleshoot HTTP Event Collector", possible error codes):
// 0 Success, 2 Token is required (401), 3 Invalid authorization (401), 4 Invalid token (403),
// 5 No data (400), 6 Invalid data format (400), 10 Data channel is missing (400),
// 11 Invalid data channel (400), 12 Event field is required (400), 13 Event field cannot be
// blank (400), 17 HEC is healthy. Batches are JSON objects one after another; the events
// before an invalid one are kept and the answer names the invalid one's number, as Splunk does.
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { buildOutput } from './output-record.ts';
import { createAckTracker, CHANNEL_PATTERN } from './hec-ack.ts';
import { splitConcatenated } from './json-split.ts';
import { credentialOf, headersOf, isAuthorized, readSinkBody, remoteOf, type SinkContext, type SinkHttpDeps } from './http-common.ts';
import type { NewOutput } from '../store/outputs.ts';
import { decodeUtf8 } from '../delivery/new-delivery.ts';

type HecStatus = 200 | 400 | 401 | 403 | 413 | 415 | 503;

const TEXT: Record<number, [string, HecStatus]> = {
  0: ['Success', 200],
  2: ['Token is required', 401],
  3: ['Invalid authorization', 401],
  4: ['Invalid token', 403],
  5: ['No data', 400],
  6: ['Invalid data format', 400],
  10: ['Data channel is missing', 400],
  11: ['Invalid data channel', 400],
  12: ['Event field is required', 400],
  13: ['Event field cannot be blank', 400],
  17: ['HEC is healthy', 200],
};

function reply(c: SinkContext, code: number, extra: Record<string, unknown> = {}) {
  const [text, status] = TEXT[code]!;
  return c.json({ text, code, ...extra }, status);
}

/** Which Splunk error a request's credential earns, or null when it may pass. */
function authError(deps: SinkHttpDeps, c: SinkContext): number | null {
  const credential = credentialOf(c.req.header('authorization'));
  if (isAuthorized(deps.token, credential)) return null;
  if (credential.kind === 'none') return 2;
  if (credential.kind === 'malformed') return 3;
  return 4;
}

function channelOf(c: SinkContext): string | null {
  return c.req.header('x-splunk-request-channel') ?? c.req.query('channel') ?? null;
}

/** One HEC event object -> its Splunk error code, or null when it is a valid event. */
function checkEvent(value: unknown): number | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 6;
  const event = (value as Record<string, unknown>).event;
  if (event === undefined) return 12;
  if (event === null || event === '' || (typeof event === 'object' && !Array.isArray(event) && Object.keys(event).length === 0)) return 13;
  const time = (value as Record<string, unknown>).time;
  if (time !== undefined && !(typeof time === 'number' && time >= 0) && !(typeof time === 'string' && /^\d+(\.\d+)?$/.test(time))) return 6;
  return null;
}

function summaryOf(envelope: Record<string, unknown>, extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...extra };
  for (const k of ['index', 'sourcetype', 'source', 'host']) if (typeof envelope[k] === 'string') out[k] = envelope[k] as string;
  return out;
}

export function createHecRoutes(deps: SinkHttpDeps) {
  const acks = createAckTracker();
  const hec = new Hono<{ Bindings: HttpBindings }>();

  /** Auth, channel and body checks shared by /event and /raw; a Response when the request ends here. */
  async function prepare(c: SinkContext, channelRequired: boolean) {
    const auth = authError(deps, c);
    if (auth !== null) return { done: reply(c, auth) };
    const channel = channelOf(c);
    if (channel === null && channelRequired) return { done: reply(c, 10) };
    if (channel !== null && !CHANNEL_PATTERN.test(channel)) return { done: reply(c, 11) };
    const read = await readSinkBody(c, deps.maxBody);
    if (!read.ok) return { done: read.status === 400 ? reply(c, 6) : c.json({ text: read.message, code: 6 }, read.status) };
    if (read.body.length === 0) return { done: reply(c, 5) };
    return { channel, body: read.body };
  }

  async function commit(c: SinkContext, outputs: NewOutput[], channel: string | null, error: Record<string, unknown> | null, errorCode: number) {
    try {
      await deps.ingest.submit(outputs);
    } catch {
      // Nothing acknowledged: Splunk's busy answer makes clients retry.
      return c.json({ text: 'Server is busy', code: 9 }, 503);
    }
    if (error) return reply(c, errorCode, error);
    return reply(c, 0, channel !== null ? { ackId: acks.issue(channel) } : {});
  }

  async function onEvent(c: SinkContext) {
    const p = await prepare(c, false);
    if ('done' in p) return p.done;
    const text = decodeUtf8(p.body);
    if (text === null) {
      // Not UTF-8: Splunk cannot read it as JSON either.
      return reply(c, 6, { 'invalid-event-number': 0 });
    }
    const split = splitConcatenated(text);
    const receivedAt = Date.now();
    const headers = headersOf(c);
    const outputs: NewOutput[] = [];
    let error: Record<string, unknown> | null = split.error ? { 'invalid-event-number': split.error.index } : null;
    let errorCode = split.error ? 6 : 0;
    for (let i = 0; i < split.values.length; i++) {
      const { value, text: itemText } = split.values[i]!;
      const code = checkEvent(value);
      if (code !== null) {
        error = { 'invalid-event-number': i };
        errorCode = code;
        break;
      }
      const envelope = value as Record<string, unknown>;
      outputs.push(buildOutput({
        sink: 'hec', transport: 'http', receivedAt, method: c.req.method, path: c.req.path, remoteAddress: remoteOf(c), headers,
        body: Buffer.from(itemText), fields: envelope, fieldsAreBody: true, summary: summaryOf(envelope, { endpoint: 'event' }),
        embedded: typeof envelope.event === 'string' ? [envelope.event] : [JSON.stringify(envelope.event)],
      }));
    }
    return commit(c, outputs, p.channel, error, errorCode);
  }

  async function onRaw(c: SinkContext) {
    const p = await prepare(c, true);
    if ('done' in p) return p.done;
    const receivedAt = Date.now();
    const headers = headersOf(c);
    const envelope: Record<string, string> = {};
    for (const k of ['index', 'sourcetype', 'source', 'host']) {
      const v = c.req.query(k);
      if (v !== undefined) envelope[k] = v;
    }
    // Splunk breaks raw data into events at line ends (the default LINE_BREAKER).
    const lines = p.body.toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    const outputs = lines.map((line) => {
      let parsed: unknown = line;
      try {
        parsed = JSON.parse(line);
      } catch {
        // a text event
      }
      return buildOutput({
        sink: 'hec', transport: 'http', receivedAt, method: c.req.method, path: c.req.path, remoteAddress: remoteOf(c), headers,
        body: Buffer.from(line), fields: { ...envelope, event: parsed }, summary: summaryOf(envelope, { endpoint: 'raw' }), embedded: [line],
      });
    });
    if (outputs.length === 0) return reply(c, 5);
    return commit(c, outputs, p.channel, null, 0);
  }

  for (const path of ['/services/collector', '/services/collector/event', '/services/collector/event/1.0']) hec.post(path, onEvent);
  for (const path of ['/services/collector/raw', '/services/collector/raw/1.0']) hec.post(path, onRaw);
  for (const path of ['/services/collector/health', '/services/collector/health/1.0']) hec.get(path, (c) => reply(c, 17));

  hec.post('/services/collector/ack', async (c) => {
    const auth = authError(deps, c);
    if (auth !== null) return reply(c, auth);
    const channel = channelOf(c);
    if (channel === null) return reply(c, 10);
    if (!CHANNEL_PATTERN.test(channel)) return reply(c, 11);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return reply(c, 6);
    }
    const ids = (body as { acks?: unknown } | null)?.acks;
    if (!Array.isArray(ids) || !ids.every((n) => Number.isInteger(n) && (n as number) >= 0) || ids.length > 10_000) return reply(c, 6);
    return c.json({ acks: acks.query(channel, ids as number[]) });
  });

  return hec;
}
