// A reference Soveren -> Splunk HEC connector, small on purpose: it receives Soveren webhook
// deliveries, verifies x-soveren-signature (HMAC-SHA-256 of the raw body, constant-time),
// and writes each event to Splunk's HTTP Event Collector. Soveren gets 200 only after HEC
// answered code 0, so a failed write is retried by Soveren instead of lost; a delivery that
// fails verification gets 401 and never reaches the SIEM. Plain Node (>= 20), no dependencies.
//
//   SOVEREN_WEBHOOK_TOKEN=... HEC_URL=http://127.0.0.1:4782 HEC_TOKEN=... PORT=8080 node examples/connector/connector.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const MAX_BODY = 1024 * 1024;
const SEVERITY = { High: 'high', Medium: 'medium', Low: 'low' };

/** Whether `header` is exactly `sha256=<hex of HMAC-SHA-256(body, token)>`. */
export function verify(body, header, token) {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = createHmac('sha256', token).update(body).digest();
  return timingSafeEqual(Buffer.from(header.slice(7), 'hex'), expected);
}

/** The HEC event envelope for one Soveren event (Splunk's documented fields). */
export function toHecEvent(event, host) {
  const ms = Date.parse(event.time);
  return {
    time: Number.isFinite(ms) ? ms / 1000 : Date.now() / 1000,
    host,
    source: 'soveren',
    sourcetype: 'soveren:event',
    event,
    fields: { category: event.category, event_type: event.event_type, sensitivity: event.sensitivity, severity: SEVERITY[event.sensitivity] },
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Start the connector; resolves with its URL and a close(). */
export async function startConnector({ port = 8080, host = '127.0.0.1', token, hecUrl, hecToken }) {
  if (!token || !hecUrl || !hecToken) throw new Error('SOVEREN_WEBHOOK_TOKEN, HEC_URL and HEC_TOKEN are required');
  const collector = new URL('/services/collector/event', hecUrl);
  const server = createServer(async (req, res) => {
    const reply = (status, text) => res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    let body;
    try {
      body = await readBody(req);
    } catch {
      return reply(413, 'body too large');
    }
    if (!verify(body, req.headers['x-soveren-signature'], token)) return reply(401, 'invalid signature');
    let event;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(400, 'not JSON');
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return reply(400, 'not a JSON object');
    try {
      const hec = await fetch(collector, {
        method: 'POST',
        headers: { authorization: `Splunk ${hecToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(toHecEvent(event, 'soveren-connector')),
        signal: AbortSignal.timeout(10_000),
      });
      const answer = await hec.json().catch(() => ({}));
      if (hec.status !== 200 || answer.code !== 0) return reply(502, `HEC refused the event: ${answer.text ?? hec.status}`);
    } catch (err) {
      return reply(502, `HEC unreachable: ${err.message}`);
    }
    reply(200, 'ok');
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const c = await startConnector({
    port: Number(process.env.PORT ?? 8080),
    token: process.env.SOVEREN_WEBHOOK_TOKEN,
    hecUrl: process.env.HEC_URL,
    hecToken: process.env.HEC_TOKEN,
  });
  console.log(`connector: ${c.url} -> ${process.env.HEC_URL}`);
  const stop = () => void c.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
