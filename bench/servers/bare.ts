// The baseline of the ingest benchmark: a bare node:http server that reads the whole body
// and answers 200 with a small JSON body, on the same keep-alive settings as the receiver.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveIpc } from '../lib/child.ts';

let next = 0;
const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks);
    const id = ++next;
    res.writeHead(200, { 'content-type': 'application/json', 'x-soveren-inspector-id': String(id) });
    res.end(`{"ok":true,"id":${id}}`);
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
});
serveIpc({ cpu: () => process.cpuUsage() });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
