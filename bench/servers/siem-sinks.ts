// SIEM stand-ins for the forwarding bench, in their own process: a Splunk HEC and an
// Elasticsearch _bulk endpoint (the test helpers that answer as the vendors document), a
// TCP syslog listener that counts RFC 6587 octet-counted messages and a UDP one that counts
// datagrams. Prints {"hecUrl","hecToken","elasticUrl","syslogPort","udpPort"}; IPC `counts`.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { startElasticServer } from '../../test/helpers/elastic-server.ts';
import { startHecServer } from '../../test/helpers/hec-server.ts';
import { serveIpc } from '../lib/child.ts';

const HEC_TOKEN = 'bench-hec-token';
const es = await startElasticServer({});
const hec = await startHecServer({ token: HEC_TOKEN });
let syslogMessages = 0;
let connections = 0;
const syslog = createServer((socket) => {
  connections++;
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    // "MSG-LEN SP SYSLOG-MSG" repeated (RFC 6587 3.4.1).
    for (;;) {
      const space = buffered.indexOf(0x20);
      if (space < 0) break;
      const len = Number(buffered.subarray(0, space).toString());
      if (buffered.length < space + 1 + len) break;
      syslogMessages++;
      buffered = buffered.subarray(space + 1 + len);
    }
  });
  socket.on('error', () => socket.destroy());
});
await new Promise<void>((resolve) => syslog.listen(0, '127.0.0.1', resolve));
let datagrams = 0;
const udp = createSocket('udp4');
udp.on('message', () => datagrams++);
await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));

serveIpc({
  counts: () => ({
    hec: hec.events.length, elastic: [...es.indices.values()].reduce((n, docs) => n + docs.length, 0),
    syslog: syslogMessages, syslogConnections: connections, udp: datagrams,
  }),
});
process.on('SIGTERM', () => void Promise.all([es.close(), hec.close()]).then(() => process.exit(0)));
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

console.log(JSON.stringify({
  hecUrl: hec.url, hecToken: HEC_TOKEN, elasticUrl: es.url,
  syslogPort: (syslog.address() as { port: number }).port, udpPort: udp.address().port,
}));
