// Syslog transport: RFC 5424 messages over TCP (RFC 6587 octet counting or LF framing),
// TLS (RFC 5425, octet counting, CA from --ca) or UDP (RFC 5426, one datagram each). Syslog
// has no answer: a try succeeds when every byte was handed to the kernel for the peer, so
// status stays null. One connection (or UDP socket) serves every try, as syslog senders
// keep theirs (RFC 6587 3.3); a connection that fails or that the collector closes is
// dropped and the next try opens a new one.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
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
  if (err.code === 'ERR_STREAM_DESTROYED' || err.code === 'ERR_SOCKET_CLOSED_BEFORE_CONNECTION') return 'the connection to the collector closed before the message was sent';
  return err.message;
}

export function createSyslogTransport(o: SyslogTransportOptions): Transport {
  let stream: Socket | null = null;
  let udp: UdpSocket | null = null;
  // Tries in flight: the socket keeps the process alive only while there are some.
  let busy = 0;
  const hold = (socket: { ref(): unknown; unref(): unknown }, delta: number) => {
    busy += delta;
    if (busy > 0) socket.ref();
    else socket.unref();
  };

  function result(startedAt: number, t0: number, error: string | null, retryable = error !== null): TransportTry {
    return {
      status: null, ok: error === null, error, durationMs: Math.round((performance.now() - t0) * 100) / 100,
      responseHeaders: [], responseBody: null, startedAt, retryAfterMs: null, retryable,
    };
  }

  function openUdp(): UdpSocket {
    if (udp) return udp;
    const socket = createSocket(isIP(o.host) === 6 ? 'udp6' : 'udp4');
    // An ICMP error reported later belongs to no try: the next one gets a fresh socket.
    socket.on('error', () => {
      if (udp === socket) udp = null;
      socket.close();
    });
    udp = socket;
    return socket;
  }

  function sendUdp(messages: readonly string[], t: TryOptions): Promise<TransportTry> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const datagrams = messages.map((m) => Buffer.from(m, 'utf8'));
    const tooBig = (d: Buffer) => `a message of ${d.length} bytes does not fit one UDP datagram (${MAX_DATAGRAM} at most): use syslog+tcp`;
    const fitting = datagrams.filter((d) => d.length <= MAX_DATAGRAM);
    // A message too big fails alone; the others of the batch still go, one datagram each.
    const withItems = (r: TransportTry): TransportTry => {
      if (fitting.length === datagrams.length) return r;
      const big = datagrams.find((d) => d.length > MAX_DATAGRAM)!;
      const items = datagrams.map((d) => (d.length > MAX_DATAGRAM
        ? { ok: false, status: null, error: tooBig(d), retryable: false, responseBody: null }
        : { ok: r.ok, status: null, error: r.error, retryable: r.retryable, responseBody: null }));
      return { ...r, ok: false, error: r.error ?? tooBig(big), retryable: false, items };
    };
    if (fitting.length === 0) return Promise.resolve(withItems(result(startedAt, t0, datagrams.length === 0 ? null : tooBig(datagrams[0]!), false)));
    const socket = openUdp();
    hold(socket, 1);
    return new Promise((resolve) => {
      let pending = fitting.length;
      let failed: string | null = null;
      for (const d of fitting) {
        socket.send(d, o.port, o.host, (err) => {
          if (err) failed ??= describe(err);
          if (--pending > 0) return;
          hold(socket, -1);
          resolve(withItems(result(startedAt, t0, failed ?? (t.signal?.aborted ? 'aborted' : null))));
        });
      }
    });
  }

  /** Each try waiting on the stream connection, failed together when it breaks. */
  let waiters = new Set<(error: string) => void>();

  function openStream(): { socket: Socket; waiting: Set<(error: string) => void> } {
    if (stream && !stream.destroyed) return { socket: stream, waiting: waiters };
    const socket = o.protocol === 'tls'
      ? tlsConnect({ host: o.host, port: o.port, servername: isIP(o.host) ? undefined : o.host, ...(o.ca && { ca: o.ca }) })
      : tcpConnect({ host: o.host, port: o.port });
    const waiting = new Set<(error: string) => void>();
    const drop = () => {
      if (stream === socket) stream = null;
    };
    // Writes made before the handshake wait in the socket; a failure fails every try on it.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      drop();
      for (const fail of [...waiting]) fail(describe(err));
    });
    socket.on('close', drop);
    // The collector hung up (idle timeout, restart): the next try reconnects.
    socket.on('end', () => {
      drop();
      socket.destroy();
    });
    socket.setNoDelay(true);
    stream = socket;
    waiters = waiting;
    return { socket, waiting };
  }

  function sendStream(messages: readonly string[], t: TryOptions): Promise<TransportTry> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const frame = o.framing === 'lf' ? frameLf : frameOctetCounted;
    const payload = Buffer.concat(messages.map(frame));
    const { socket, waiting } = openStream();
    hold(socket, 1);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (error: string | null, retryable?: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        t.signal?.removeEventListener('abort', onAbort);
        waiting.delete(finish);
        hold(socket, -1);
        resolve(result(startedAt, t0, error, retryable));
      };
      const onAbort = () => finish('aborted', false);
      waiting.add(finish);
      // A collector that stops reading: the connection is given up, the next try opens another.
      const timer = setTimeout(() => {
        finish(`timed out after ${t.timeoutMs} ms`);
        socket.destroy();
      }, t.timeoutMs);
      if (t.signal?.aborted) return onAbort();
      t.signal?.addEventListener('abort', onAbort, { once: true });
      // The callback runs once the bytes are with the kernel, or with the error that stopped them.
      socket.write(payload, (err) => finish(err ? describe(err) : null));
    });
  }

  function close(): void {
    // end(), not destroy(): bytes already written still reach the collector, then FIN.
    stream?.end();
    stream?.unref();
    stream = null;
    udp?.close();
    udp = null;
  }

  return { send: (messages, t) => (o.protocol === 'udp' ? sendUdp(messages, t) : sendStream(messages, t)), close };
}
