// Load generation with autocannon (in this process; the servers run in their own). Every
// connection gets its own slice of distinct request bodies, and every response's status,
// latency and x-soveren-inspector-id are recorded, so acknowledged ids can be checked
// against what the stream delivered.
import autocannon, { type AutocannonClient, type AutocannonRequest } from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds, or `amount` requests in total. */
  durationS?: number;
  amount?: number;
  /** Requests per second over all connections (steady rate instead of as fast as possible). */
  overallRate?: number;
  /** Request objects for connection `i`; it cycles through them. */
  requestsFor(i: number): AutocannonRequest[];
  /** Called when a response's headers arrive (ms on performance.now()). */
  onAck?(id: number, status: number, at: number): void;
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedMs: number;
  rps: number;
  latencies: number[];
  /** Ids answered 2xx (x-soveren-inspector-id), in completion order. */
  acked: number[];
}

const ID_HEADER = 'x-soveren-inspector-id';

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const acked: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let clientIndex = 0;
  const setupClient = (client: AutocannonClient) => {
    client.setRequests(o.requestsFor(clientIndex++));
    client.on('headers', (info: { statusCode: number; headers: string[] }) => {
      const at = performance.now();
      const h = info.headers;
      for (let i = 0; i + 1 < h.length; i += 2) {
        if (h[i]!.length === ID_HEADER.length && h[i]!.toLowerCase() === ID_HEADER) {
          const id = Number(h[i + 1]);
          if (info.statusCode >= 200 && info.statusCode < 300) acked.push(id);
          o.onAck?.(id, info.statusCode, at);
          break;
        }
      }
    });
  };
  const started = performance.now();
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount !== undefined ? { amount: o.amount } : { duration: o.durationS ?? 5 }),
    ...(o.overallRate !== undefined && { overallRate: o.overallRate }),
    timeout: 30,
    method: 'POST',
    setupClient,
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (status >= 200 && status < 300) ok++;
    else non2xx++;
  });
  const result = await instance;
  const elapsedMs = performance.now() - started;
  return { ok, non2xx, errors: result.errors, timeouts: result.timeouts, elapsedMs, rps: (ok + non2xx) / (elapsedMs / 1000), latencies, acked };
}

/** autocannon request objects for signed bodies posted to `path`. */
export function postRequests(bodies: { body: Buffer; signature: string }[], path = '/hooks/soveren'): AutocannonRequest[] {
  return bodies.map((b) => ({
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'SoverenWebhook/1.0',
      'x-soveren-signature': b.signature,
    },
    body: b.body,
  }));
}

/**
 * Evenly paced POSTs (autocannon's rate limit sends each connection's share in a burst at
 * the start of every second): `rate` per second for `seconds`, over keep-alive sockets,
 * calling `onAck` with the delivery id and the time its answer's headers arrived.
 */
export async function runPaced(o: {
  url: string;
  rate: number;
  seconds: number;
  bodies: { body: Buffer; signature: string }[];
  onAck(id: number, status: number, at: number, sentAt: number): void;
}): Promise<{ sent: number; failed: number; elapsedMs: number }> {
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const target = new URL(o.url);
  const total = Math.round(o.rate * o.seconds);
  let sent = 0;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const send = () => {
      const b = o.bodies[sent % o.bodies.length]!;
      sent++;
      const sentAt = performance.now();
      const req = request({
        host: target.hostname, port: target.port, path: '/hooks/soveren', method: 'POST', agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': b.signature, 'content-length': b.body.length },
      }, (res) => {
        o.onAck(Number(res.headers['x-soveren-inspector-id']), res.statusCode ?? 0, performance.now(), sentAt);
        res.resume();
        res.on('end', finish);
      });
      req.on('error', () => {
        failed++;
        finish();
      });
      req.end(b.body);
    };
    const finish = () => {
      if (++done === total) resolve();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * o.rate) + 1);
      while (sent < due) send();
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  return { sent, failed, elapsedMs: performance.now() - started };
}
