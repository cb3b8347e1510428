// Starts the SIEM-side listeners: the HTTP sink (HEC, Elasticsearch, generic JSON) and the
// syslog sink (TCP and UDP on one port), both feeding the outputs' group commit. Node cuts
// HTTP clients that trickle headers or body past --timeout, as on the receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createSinkApp } from './app.ts';
import { createSyslogServer, type SyslogFrame } from './syslog-server.ts';
import { parseSyslog } from './syslog-parse.ts';
import { buildOutput } from './output-record.ts';
import type { OutputIngest } from './output-ingest.ts';
import type { NewOutput } from '../store/outputs.ts';

export interface SinksConfig {
  ingest: OutputIngest;
  token: string | null;
  maxBody: number;
  timeoutMs: number;
  host: string;
  httpPort: number;
  syslogPort: number;
  onError?: (message: string) => void;
}

function displayHost(host: string): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

/** One syslog frame -> one output; a frame that is not UTF-8 is kept byte for byte, its text read as Latin-1. */
export function syslogOutput(frame: SyslogFrame): NewOutput {
  const utf8 = frame.bytes.toString('utf8');
  const text = Buffer.from(utf8).equals(frame.bytes) ? utf8 : frame.bytes.toString('latin1');
  const fields = parseSyslog(text);
  const summary: Record<string, string> = { format: fields.format };
  if (fields.severity !== null) summary.severity = String(fields.severity);
  if (fields.appName) summary.app = fields.appName;
  if (fields.cef) summary.cef = `${fields.cef.deviceEventClassId} / severity ${fields.cef.severity}`;
  return buildOutput({
    sink: 'syslog', transport: frame.transport, receivedAt: frame.receivedAt, method: null, path: frame.transport,
    remoteAddress: frame.remoteAddress, headers: [], body: frame.bytes, fields, summary, embedded: [fields.message],
    // The header's MSG is not a title: look in the CEF fields (Name is the title) or the JSON MSG only.
    searchIn: fields.cef
      ? { title: fields.cef.name, event_type: fields.cef.deviceEventClassId, ...fields.cef.extension }
      : fields.json ?? {},
  });
}

export async function startSinks(config: SinksConfig) {
  const app = createSinkApp({ ingest: config.ingest, token: config.token, maxBody: config.maxBody });
  const http: Server = createServer({
    headersTimeout: config.timeoutMs, requestTimeout: config.timeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.round(config.timeoutMs / 4))), keepAliveTimeout: 5000,
  }, getRequestListener(app.fetch));
  const syslog = createSyslogServer({
    timeoutMs: config.timeoutMs,
    store: (frames) => config.ingest.submit(frames.map(syslogOutput)),
    ...(config.onError && { onError: config.onError }),
  });
  const httpPort = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.httpPort, config.host, () => {
      http.off('error', reject);
      resolve((http.address() as AddressInfo).port);
    });
  });
  let syslogPort: number;
  try {
    syslogPort = await syslog.listen(config.syslogPort, config.host);
  } catch (err) {
    http.close();
    throw err;
  }
  const host = displayHost(config.host);
  return {
    sinkUrl: `http://${host}:${httpPort}/`,
    syslogAddress: `${host}:${syslogPort}`,
    /** Stop taking input; the caller flushes the ingest afterwards. */
    async close(): Promise<void> {
      const closed = new Promise<void>((r) => http.close(() => r()));
      http.closeIdleConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      http.closeAllConnections();
      await syslog.close();
    },
  };
}
