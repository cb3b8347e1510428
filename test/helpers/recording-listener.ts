// Raw HTTP/1.1 over node:net for tests that must see or send exact bytes: a listener that
// records each request line, header list and body as received (HTTP clients and Node's
// parser would normalise them), and a client that writes a request byte for byte.
import { connect, createServer, type Socket } from 'node:net';

export interface RecordedRequest {
  /** The request line without CRLF, latin1 (one char per byte). */
  line: string;
  method: string;
  target: string;
  /** Names and values as sent, latin1, in order. */
  headers: [string, string][];
  body: Buffer;
}

export interface RecordingListener {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Parses one request from the front of `buf`; null until it is complete. Bodies need Content-Length. */
function parseRequest(buf: Buffer): { request: RecordedRequest; rest: Buffer } | null {
  const end = buf.indexOf(HEAD_END);
  if (end < 0) return null;
  const [line = '', ...fields] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const headers = fields.map((f): [string, string] => {
    const colon = f.indexOf(':');
    return [f.slice(0, colon), f.slice(colon + 1).trim()];
  });
  const length = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0);
  if (buf.length < end + 4 + length) return null;
  const [method = '', target = ''] = line.split(' ');
  const body = Buffer.from(buf.subarray(end + 4, end + 4 + length));
  return { request: { line, method, target, headers, body }, rest: buf.subarray(end + 4 + length) };
}

export function startRecordingListener(): Promise<RecordingListener> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (let parsed = parseRequest(buf); parsed; parsed = parseRequest(buf)) {
        requests.push(parsed.request);
        buf = parsed.rest;
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/** Writes `bytes` to host:port of `url` and resolves with the status and headers of the answer. */
export function sendRawBytes(url: string, bytes: Buffer): Promise<{ status: number; headers: Map<string, string> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let buf: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf(HEAD_END);
      if (end < 0) return;
      const [line = '', ...fields] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers = new Map(fields.map((f) => [f.slice(0, f.indexOf(':')).toLowerCase(), f.slice(f.indexOf(':') + 1).trim()] as const));
      socket.destroy();
      resolve({ status: Number(line.split(' ')[1]), headers });
    });
    socket.on('error', reject);
  });
}
