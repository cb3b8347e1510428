// SIEM stand-ins for the forwarding bench, in their own process: an Elasticsearch _bulk
// endpoint (the test helper that answers per item) and a TCP syslog listener that counts
// RFC 6587 octet-counted messages. Prints {"elasticUrl","syslogPort"}; IPC `counts`.
import { createServer } from 'node:net';
import { startElasticServer } from '../../test/helpers/elastic-server.ts';
import { serveIpc } from '../lib/child.ts';

const es = await startElasticServer({});
let syslogMessages = 0;
const syslog = createServer((socket) => {
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

serveIpc({
  counts: () => ({ elastic: [...es.indices.values()].reduce((n, docs) => n + docs.length, 0), syslog: syslogMessages }),
});
process.on('SIGTERM', () => void es.close().then(() => process.exit(0)));
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

console.log(JSON.stringify({ elasticUrl: es.url, syslogPort: (syslog.address() as { port: number }).port }));
