// Syslog transport: RFC 5424 messages over TCP (RFC 6587 octet counting or LF framing),
// TLS (RFC 5425, octet counting, CA from --ca) or UDP (RFC 5426, one datagram each). Syslog
// has no answer: a try succeeds when every byte was handed to the peer and the
// connection closed cleanly, so status stays null.
import { createSocket } from 'node:dgram';
import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { SyslogFraming, SyslogProtocol } from './target.ts';
import { frameLf, frameOctetCounted } from './syslog-message.ts';
import type { Transport, TransportTry, TryOptions } from './types.ts';

export interface SyslogTransportOptions {
  protocol: SyslogProtocol;
  host: string;
  port: number;
  framing: SyslogFraming;
  /** PEM CA certificate(s) a TLS collector's certificate must chain to (else the system's). */
  ca?: Buffer;
}

/** RFC 768: a UDP payload over IPv4 is at most 65,507 bytes. */
const MAX_DATAGRAM = 65_507;

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is the syslog collector listening?)';
  if (err.code === 'ENOTFOUND') return 'host not found';
  return err.message;
}

export function createSyslogTransport(o: SyslogTransportOptions): Transport {
  function result(startedAt: number, t0: number, error: string | null, retryable = error !== null): TransportTry {
    return {
      status: null, ok: error === null, error, durationMs: Math.round((performance.now() - t0) * 100) / 100,
      responseHeaders: [], responseBody: null, startedAt, retryAfterMs: null, retryable,
    };
  }

  function sendUdp(messages: readonly string[], t: TryOptions): Promise<TransportTry> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const datagrams = messages.map((m) => Buffer.from(m, 'utf8'));
    const big = datagrams.find((d) => d.length > MAX_DATAGRAM);
    if (big) return Promise.resolve(result(startedAt, t0, `a message of ${big.length} bytes does not fit one UDP datagram (${MAX_DATAGRAM} at most): use syslog+tcp`, false));
    const socket = createSocket(isIP(o.host) === 6 ? 'udp6' : 'udp4');
    return new Promise((resolve) => {
      let pending = datagrams.length;
      let failed: string | null = null;
      const finish = () => {
        socket.close();
        resolve(result(startedAt, t0, failed ?? (t.signal?.aborted ? 'aborted' : null)));
      };
      socket.on('error', (err) => { failed ??= describe(err); });
      if (pending === 0) return finish();
      for (const d of datagrams) {
        socket.send(d, o.port, o.host, (err) => {
          if (err) failed ??= describe(err);
          if (--pending === 0) finish();
        });
      }
    });
  }

  function sendStream(messages: readonly string[], t: TryOptions): Promise<TransportTry> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const frame = o.framing === 'lf' ? frameLf : frameOctetCounted;
    const payload = Buffer.concat(messages.map(frame));
    return new Promise((resolve) => {
      let settled = false;
      let socket: Socket;
      const finish = (error: string | null, retryable?: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        t.signal?.removeEventListener('abort', onAbort);
        // After 'finish' the bytes are with the kernel, which still delivers them after close.
        socket.destroy();
        resolve(result(startedAt, t0, error, retryable));
      };
      const onAbort = () => finish('aborted', false);
      if (o.protocol === 'tls') {
        socket = tlsConnect({ host: o.host, port: o.port, servername: isIP(o.host) ? undefined : o.host, ...(o.ca && { ca: o.ca }) });
        socket.once('secureConnect', () => socket.end(payload));
      } else {
        socket = tcpConnect({ host: o.host, port: o.port });
        socket.once('connect', () => socket.end(payload));
      }
      // 'finish': every byte handed to the kernel and our FIN sent; the collector may keep its side open.
      socket.once('finish', () => finish(null));
      socket.on('error', (err: NodeJS.ErrnoException) => finish(describe(err)));
      const timer = setTimeout(() => finish(`timed out after ${t.timeoutMs} ms`), t.timeoutMs);
      if (t.signal?.aborted) onAbort();
      t.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  return { send: (messages, t) => (o.protocol === 'udp' ? sendUdp(messages, t) : sendStream(messages, t)) };
}
