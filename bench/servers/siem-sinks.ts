// SIEM stand-ins for the forwarding bench, in their own process and as cheap as a SIEM's
// front door can be, so the bench measures the inspector's cost and not the stand-in's (they
// share the machine's cores): a Splunk HEC that answers {"text":"Success","code":0} and counts
// events, an Elasticsearch _bulk that answers every `create` item 201, a TCP syslog listener
// counting RFC 6587 octet-counted messages (and its connections), a UDP one counting datagrams.
// The vendors' full behaviour is tested against test/helpers' servers, not here.
// Prints {"hecUrl","hecToken","elasticUrl","syslogPort","udpPort"}; IPC `counts`.
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { serveIpc } from '../lib/child.ts';

const HEC_TOKEN = 'bench-hec-token';
const counts = { hec: 0, hecRequests: 0, elastic: 0, elasticRequests: 0, syslog: 0, syslogConnections: 0, udp: 0 };

function readBody(req: IncomingMessage, then: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => then(Buffer.concat(chunks)));
}
const json = (res: ServerResponse, status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
const CREATE = Buffer.from('{"create":');

const http = createHttpServer((req, res) => readBody(req, (body) => {
  if (req.url === '/services/collector/event') {
    if (req.headers.authorization !== `Splunk ${HEC_TOKEN}`) return json(res, 403, '{"text":"Invalid token","code":4}');
    // A batch of events, one compact JSON object per line (JSON.stringify never leaves a raw LF inside one).
    let n = body.length > 0 ? 1 : 0;
    for (let at = body.indexOf(0x0a); at >= 0; at = body.indexOf(0x0a, at + 1)) n++;
    counts.hec += n;
    counts.hecRequests++;
    return json(res, 200, '{"text":"Success","code":0}');
  }
  if (req.url?.endsWith('/_bulk')) {
    let n = 0;
    for (let at = body.indexOf(CREATE); at >= 0; at = body.indexOf(CREATE, at + 1)) n++;
    counts.elastic += n;
    counts.elasticRequests++;
    return json(res, 200, JSON.stringify({ took: 1, errors: false, items: Array.from({ length: n }, () => ({ create: { status: 201, result: 'created' } })) }));
  }
  json(res, 404, '{}');
}));
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

const syslog = createServer((socket) => {
  counts.syslogConnections++;
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    // "MSG-LEN SP SYSLOG-MSG" repeated (RFC 6587 3.4.1).
    for (;;) {
      const space = buffered.indexOf(0x20);
      if (space < 0) break;
      const len = Number(buffered.subarray(0, space).toString());
      if (buffered.length < space + 1 + len) break;
      counts.syslog++;
      buffered = buffered.subarray(space + 1 + len);
    }
  });
  socket.on('error', () => socket.destroy());
});
await new Promise<void>((resolve) => syslog.listen(0, '127.0.0.1', resolve));
const udp = createSocket('udp4');
udp.on('message', () => counts.udp++);
await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));

serveIpc({ counts: () => ({ ...counts }) });
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
console.log(JSON.stringify({ hecUrl: base, hecToken: HEC_TOKEN, elasticUrl: base, syslogPort: (syslog.address() as { port: number }).port, udpPort: udp.address().port }));
