// A Splunk HTTP Event Collector for tests, on 127.0.0.1 port 0, answering as Splunk documents
// ("Troubleshoot HTTP Event Collector": status + {"text","code"}): token codes 1-4, busy 503
// code 9, data errors 5/6/12/13, channel code 10, and indexer acknowledgement via /ack.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HecServerOptions {
  token: string;
  /** Token known but disabled (code 1). */
  disabled?: boolean;
  /** The first N event requests answer 503 code 9 (server busy). */
  busyFor?: number;
  /** The first N event requests answer 429. */
  throttleFor?: number;
  /** Indexer acknowledgement on: events need a channel and get an ackId. */
  ack?: boolean;
  /** An ackId reads true from the Nth poll on (default 1). */
  ackAfterPolls?: number;
}

export interface HecRequest {
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HecServer {
  url: string;
  /** Every event accepted, in order. */
  events: Record<string, unknown>[];
  requests: HecRequest[];
  ackPolls: number;
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections: number;
  close(): Promise<void>;
}

/** Concatenated JSON objects ({..}{..} or one per line), as HEC reads its event endpoint; null when malformed. */
export function splitConcatenatedJson(text: string): unknown[] | null {
  const out: unknown[] = [];
  let depth = 0, start = -1, inString = false, escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') { if (depth++ === 0) start = i; }
    else if (ch === '}') {
      if (--depth < 0) return null;
      if (depth === 0) {
        try { out.push(JSON.parse(text.slice(start, i + 1))); } catch { return null; }
      }
    } else if (depth === 0 && !/\s/.test(ch)) return null;
  }
  return depth === 0 ? out : null;
}

export async function startHecServer(o: HecServerOptions): Promise<HecServer> {
  const events: Record<string, unknown>[] = [];
  const requests: HecRequest[] = [];
  const acks = new Map<number, number>(); // ackId -> polls so far
  let nextAck = 0, eventRequests = 0;
  const state = { ackPolls: 0 };
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, body });
      const auth = req.headers.authorization;
      if (auth === undefined) return answer(res, 401, { text: 'Token is required', code: 2 });
      const m = /^Splunk (.+)$/.exec(auth);
      if (!m) return answer(res, 401, { text: 'Invalid authorization', code: 3 });
      if (m[1] !== o.token) return answer(res, 403, { text: 'Invalid token', code: 4 });
      if (o.disabled) return answer(res, 403, { text: 'Token disabled', code: 1 });
      const channel = req.headers['x-splunk-request-channel'];
      if (req.url === '/services/collector/ack') {
        if (!o.ack) return answer(res, 400, { text: 'ACK is disabled', code: 14 });
        if (!channel) return answer(res, 400, { text: 'Data channel is missing', code: 10 });
        state.ackPolls++;
        const ids = (JSON.parse(body || '{}') as { acks?: number[] }).acks ?? [];
        const out: Record<string, boolean> = {};
        for (const id of ids) {
          const polls = (acks.get(id) ?? 0) + 1;
          if (acks.has(id)) acks.set(id, polls);
          out[String(id)] = acks.has(id) && polls >= (o.ackAfterPolls ?? 1);
        }
        return answer(res, 200, { acks: out });
      }
      if (req.url !== '/services/collector/event') return answer(res, 404, { text: 'The requested URL was not found on this server.', code: 404 });
      eventRequests++;
      if (eventRequests <= (o.busyFor ?? 0)) return answer(res, 503, { text: 'Server is busy', code: 9 });
      if (eventRequests <= (o.busyFor ?? 0) + (o.throttleFor ?? 0)) return answer(res, 429, { text: 'Too many requests' });
      if (o.ack && !channel) return answer(res, 400, { text: 'Data channel is missing', code: 10 });
      if (body.trim() === '') return answer(res, 400, { text: 'No data', code: 5 });
      const parsed = splitConcatenatedJson(body);
      if (parsed === null) return answer(res, 400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 });
      for (const [i, e] of parsed.entries()) {
        const ev = e as Record<string, unknown>;
        if (!('event' in ev)) return answer(res, 400, { text: 'Event field is required', code: 12, 'invalid-event-number': i });
        if (ev.event === '' || ev.event === null) return answer(res, 400, { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': i });
      }
      events.push(...(parsed as Record<string, unknown>[]));
      if (!o.ack) return answer(res, 200, { text: 'Success', code: 0 });
      const ackId = nextAck++;
      acks.set(ackId, 0);
      return answer(res, 200, { text: 'Success', code: 0, ackId });
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, events, requests,
    get ackPolls() { return state.ackPolls; },
    get connections() { return connections; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
