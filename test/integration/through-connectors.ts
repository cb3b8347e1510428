// Small connectors for `check --through elastic|syslog|http`, each written the way a real
// one would be: verify the Soveren signature, map the event, write it to the SIEM, answer
// 2xx only after the SIEM took it. Elasticsearch through the official client's bulk API,
// syslog as RFC 5424 + CEF over octet-counted TCP, generic HTTP as Sentinel Logs Ingestion
// records. Each has one optional fault the check must name.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from '@elastic/elasticsearch';
import { verify } from '../../examples/connector/connector.mjs';

export interface ThroughConnector {
  url: string;
  close(): Promise<void>;
}

type SoverenEvent = Record<string, unknown>;
/** Writes a batch of events to the SIEM; resolves once the SIEM took them. */
type Writer = { write(events: SoverenEvent[]): Promise<void>; close(): Promise<void> };

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const SEVERITY: Record<string, number> = { High: 8, Medium: 5, Low: 3 };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Events arriving within `windowMs` go to the SIEM in one batch (as connectors batch for _bulk). */
function batched(writer: Writer, windowMs = 20) {
  let pending: { event: SoverenEvent; done: (err?: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const batch = pending;
    pending = [];
    writer.write(batch.map((p) => p.event)).then(() => batch.forEach((p) => p.done()), (err: unknown) => batch.forEach((p) => p.done(err)));
  };
  return (event: SoverenEvent) => new Promise<void>((resolve, reject) => {
    pending.push({ event, done: (err) => (err ? reject(err) : resolve()) });
    timer ??= setTimeout(flush, windowMs);
  });
}

async function startWebhook(token: string, writer: Writer): Promise<ThroughConnector> {
  const send = batched(writer);
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (!verify(body, req.headers['x-soveren-signature'], token)) return res.writeHead(401).end('invalid signature');
    let event: unknown;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      return res.writeHead(400).end('not JSON');
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return res.writeHead(400).end('not an object');
    try {
      await send(event as SoverenEvent);
    } catch (err) {
      return res.writeHead(502).end(`the SIEM refused the event: ${(err as Error).message}`);
    }
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await writer.close();
    },
  };
}

/** ECS-style documents through @elastic/elasticsearch `bulk`; fault: '@timestamp' read as local time (2 h off). */
export function startElasticConnector(opts: { token: string; sinkUrl: string; apiKey: string; fault?: 'time-zone' }): Promise<ThroughConnector> {
  const client = new Client({ node: opts.sinkUrl, auth: { apiKey: opts.apiKey } });
  const timestamp = (t: unknown) => {
    const ms = Date.parse(text(t));
    if (Number.isNaN(ms)) return undefined;
    return new Date(ms + (opts.fault === 'time-zone' ? 2 * 3600_000 : 0)).toISOString();
  };
  return startWebhook(opts.token, {
    async write(events) {
      const operations = events.flatMap((e) => [
        { create: { _index: 'soveren-events' } },
        {
          '@timestamp': timestamp(e.time), message: e.title,
          event: { kind: 'alert', action: e.event_type, severity: SEVERITY[text(e.sensitivity)], reference: e.event_link },
          soveren: { category: e.category, sensitivity: e.sensitivity },
        },
      ]);
      const answer = await client.bulk({ operations });
      if (answer.errors) throw new Error(JSON.stringify(answer.items.find((i) => Object.values(i)[0]?.error)));
    },
    close: () => client.close(),
  });
}

const cefHeader = (v: unknown) => text(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const cefValue = (v: unknown) => text(v).replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');

/** RFC 5424 + CEF over one octet-counted TCP connection (RFC 6587 3.4.1); fault: every event severity 5. */
export function startSyslogConnector(opts: { token: string; host: string; port: number; fault?: 'collapse-severity' }): Promise<ThroughConnector> {
  let socket: Socket | null = null;
  const open = () => new Promise<Socket>((resolve, reject) => {
    const s = connect(opts.port, opts.host, () => resolve(s));
    s.once('error', reject);
  });
  return startWebhook(opts.token, {
    async write(events) {
      socket ??= await open();
      const frames = events.map((e) => {
        const severity = opts.fault === 'collapse-severity' ? 5 : SEVERITY[text(e.sensitivity)] ?? 5;
        const rt = Date.parse(text(e.time));
        const cef = `CEF:0|Soveren|Soveren|1.0|${cefHeader(e.event_type)}|${cefHeader(e.title)}|${severity}|`
          + `${Number.isNaN(rt) ? '' : `rt=${rt} `}cat=${cefValue(e.category)} cs1Label=eventLink cs1=${cefValue(e.event_link)}`;
        const message = Buffer.from(`<116>1 ${new Date().toISOString()} connector soveren-connector - - - ${cef}`);
        return Buffer.concat([Buffer.from(`${message.length} `), message]);
      });
      const s = socket;
      await new Promise<void>((resolve, reject) => s.write(Buffer.concat(frames), (err) => (err ? reject(err) : resolve())));
    },
    close: async () => {
      socket?.end();
    },
  });
}

/** Sentinel Logs Ingestion records (a JSON array per request); fault: each batch posted twice. */
export function startHttpConnector(opts: { token: string; sinkUrl: string; bearer: string; fault?: 'post-twice' }): Promise<ThroughConnector> {
  const endpoint = new URL('/dataCollectionRules/dcr-soveren/streams/Custom-SoverenEvents_CL', opts.sinkUrl);
  return startWebhook(opts.token, {
    async write(events) {
      const records = events.map((e) => ({
        TimeGenerated: e.time, Title: e.title, EventType: e.event_type, Category: e.category, Severity: e.sensitivity, EventLink: e.event_link,
      }));
      for (let i = 0; i < (opts.fault === 'post-twice' ? 2 : 1); i++) {
        const res = await fetch(endpoint, { method: 'POST', headers: { authorization: `Bearer ${opts.bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(records) });
        if (res.status !== 204) throw new Error(`ingestion answered ${res.status}`);
      }
    },
    close: async () => {},
  });
}
