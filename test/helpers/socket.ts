// Exact bytes on a TCP socket, for what an HTTP client library would not send: malformed
// request lines, repeated Host headers, WebSocket upgrades, trickled bodies.
import { connect } from 'node:net';

export interface SocketAnswer {
  /** Status code of the first response, or 0 when none arrived. */
  status: number;
  head: string;
  body: string;
  /** Whole bytes received, latin1. */
  text: string;
}

/** Write exact request bytes to 127.0.0.1:port and read until the peer closes (or the time limit). */
export function sendBytes(port: number, request: string | Buffer, timeoutMs = 2000): Promise<SocketAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const split = text.indexOf('\r\n\r\n');
      const head = split >= 0 ? text.slice(0, split) : text;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: status ? Number(status[1]) : 0, head, body: split >= 0 ? text.slice(split + 4) : '', text });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
      // An upgrade answer never ends by itself: a full head is enough; so is a whole body.
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, split));
      if (/^HTTP\/1\.1 101 /.test(text) || (length && Buffer.byteLength(text.slice(split + 4), 'latin1') >= Number(length[1]))) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
  });
}

/** The bytes of a WebSocket upgrade request, with extra header lines as given. */
export function upgradeRequest(path: string, headers: string[]): string {
  return [`GET ${path} HTTP/1.1`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', ...headers, '', ''].join('\r\n');
}

