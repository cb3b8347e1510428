// The syslog sink: TCP and UDP on one port number. TCP framing is detected per connection
// from its first byte (RFC 6587 3.4.1 octet counting starts with a digit, 3.4.2 non-transparent
// framing with `<`); UDP carries one message per datagram (RFC 5426 3.1). A frame over 64 KiB,
// a bad octet count, a first byte that is neither, or a frame left unfinished past --timeout
// closes the connection; nothing a client sends can stop the listener.
import { createServer, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export const MAX_FRAME = 64 * 1024;

export interface SyslogFrame {
  transport: 'tcp' | 'udp';
  remoteAddress: string | null;
  bytes: Buffer;
  receivedAt: number;
}

export interface SyslogServerDeps {
  /** Store frames; resolves once committed. */
  store(frames: SyslogFrame[]): Promise<unknown>;
  timeoutMs: number;
  onError?: (message: string) => void;
}

/** Frames one connection's byte stream; returns null when the stream is not syslog (close it). */
export function createFramer() {
  let mode: 'octet' | 'lf' | null = null;
  let buffer: Buffer = Buffer.alloc(0);
  return {
    /** Add bytes; returns complete frames, or an error that must close the connection. */
    push(chunk: Buffer): { frames: Buffer[]; error: string | null } {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      const frames: Buffer[] = [];
      for (;;) {
        if (buffer.length === 0) return { frames, error: null };
        if (mode === null) {
          const first = buffer[0]!;
          if (first >= 0x31 && first <= 0x39) mode = 'octet';
          else if (first === 0x3c) mode = 'lf';
          else return { frames, error: 'not syslog: a frame starts with a digit (octet count) or "<"' };
        }
        if (mode === 'octet') {
          // Some senders end octet-counted frames with a line feed as well: skip it.
          if (buffer[0] === 0x0a || buffer[0] === 0x0d) {
            buffer = buffer.subarray(1);
            continue;
          }
          const space = buffer.indexOf(0x20);
          const count = buffer.subarray(0, space < 0 ? 7 : Math.min(space, 7)).toString('latin1');
          // MSG-LEN is NONZERO-DIGIT *DIGIT; six digits already exceed MAX_FRAME.
          if (count.length > 6 || !/^\d*$/.test(count)) return { frames, error: 'bad octet count (RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG)' };
          if (space < 0) return { frames, error: null }; // the count is still arriving
          if (!/^[1-9]\d*$/.test(count)) return { frames, error: 'bad octet count (RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG)' };
          const length = Number(buffer.subarray(0, space).toString('latin1'));
          if (length > MAX_FRAME) return { frames, error: `frame of ${length} bytes is over the ${MAX_FRAME}-byte limit` };
          if (buffer.length < space + 1 + length) return { frames, error: null };
          frames.push(buffer.subarray(space + 1, space + 1 + length));
          buffer = buffer.subarray(space + 1 + length);
        } else {
          const lf = buffer.indexOf(0x0a);
          if (lf < 0) {
            if (buffer.length > MAX_FRAME) return { frames, error: `frame over the ${MAX_FRAME}-byte limit without a line feed` };
            return { frames, error: null };
          }
          if (lf > MAX_FRAME) return { frames, error: `frame over the ${MAX_FRAME}-byte limit` };
          const frame = buffer.subarray(0, lf);
          if (frame.length > 0) frames.push(frame);
          buffer = buffer.subarray(lf + 1);
        }
      }
    },
    /** Bytes of an unfinished frame. */
    get partial() {
      return buffer.length;
    },
  };
}

/** Frames a connection may have waiting for their commit before it is paused. */
const MAX_IN_FLIGHT = 2000;

export function createSyslogServer(deps: SyslogServerDeps) {
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const framer = createFramer();
    let inFlight = 0;
    // Idle for --timeout: closed. A frame left unfinished for --timeout (a client trickling
    // bytes) is closed too, however often bytes arrive.
    socket.setTimeout(deps.timeoutMs, () => socket.destroy());
    let partialSince: NodeJS.Timeout | null = null;
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = framer.push(chunk);
      if (frames.length > 0) {
        const receivedAt = Date.now();
        inFlight += frames.length;
        if (inFlight > MAX_IN_FLIGHT) socket.pause();
        // Copies: the framer's buffer is reused for what follows.
        deps.store(frames.map((f) => ({ transport: 'tcp', remoteAddress: socket.remoteAddress ?? null, bytes: Buffer.from(f), receivedAt }))).catch((err: Error) => {
          deps.onError?.(`syslog: could not store ${frames.length} message(s): ${err.message}`);
        }).finally(() => {
          inFlight -= frames.length;
          if (inFlight <= MAX_IN_FLIGHT && socket.isPaused()) socket.resume();
        });
      }
      if (error !== null) {
        socket.destroy();
        return;
      }
      if (framer.partial > 0 && !partialSince) {
        partialSince = setTimeout(() => socket.destroy(), deps.timeoutMs);
      } else if (framer.partial === 0 && partialSince) {
        clearTimeout(partialSince);
        partialSince = null;
      }
    });
    socket.once('close', () => {
      if (partialSince) clearTimeout(partialSince);
    });
  });

  let udp: UdpSocket | null = null;

  function onDatagram(msg: Buffer, rinfo: { address: string }): void {
    if (msg.length === 0 || msg.length > MAX_FRAME) return;
    const frame = msg[msg.length - 1] === 0x0a ? msg.subarray(0, -1) : msg;
    deps.store([{ transport: 'udp', remoteAddress: rinfo.address, bytes: frame, receivedAt: Date.now() }]).catch((err: Error) => {
      deps.onError?.(`syslog: could not store a UDP message: ${err.message}`);
    });
  }

  return {
    /** TCP first (port 0 picks one), then UDP on the same number. */
    async listen(port: number, host: string): Promise<number> {
      const chosen = await new Promise<number>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => {
          tcp.off('error', reject);
          resolve((tcp.address() as AddressInfo).port);
        });
      });
      udp = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      const socket = udp;
      socket.on('message', onDatagram);
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(chosen, host, () => {
            socket.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        tcp.close();
        socket.close();
        throw err;
      }
      socket.on('error', (err) => deps.onError?.(`syslog udp: ${err.message}`));
      return chosen;
    },
    async close(): Promise<void> {
      const closed = new Promise<void>((r) => tcp.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      if (udp) await new Promise<void>((r) => udp!.close(() => r()));
    },
  };
}
