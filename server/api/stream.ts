// /api/stream WebSocket: the upgrade is checked by the same guards as every request
// (Host, token, exact Origin) before ws sees it, then handed to the hub. ws itself is loaded
// by the first upgrade: a server nobody watches (and its start-up) does without it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Hub } from '../stream/hub.ts';
import { SECURITY_HEADERS, type createGuards } from './guards.ts';
import { parseQuery } from '../common/query.ts';
import type { createOutputFeed } from '../stream/output-feed.ts';

/** Incoming messages are not part of the protocol; anything big is hostile (closed with 1009). */
const MAX_INCOMING = 64 * 1024;

export function createStreamUpgrade(deps: { hub: Hub; guards: ReturnType<typeof createGuards>; outputs?: ReturnType<typeof createOutputFeed> }) {
  let wss: WebSocketServer | null = null;
  let loading: Promise<WebSocketServer> | null = null;
  let closed = false;
  const loadServer = () => (loading ??= import('ws').then(({ WebSocketServer: Server }) => {
    wss = new Server({ noServer: true, maxPayload: MAX_INCOMING, perMessageDeflate: false });
    return wss;
  }));

  function refuse(socket: Duplex, status: number, message: string): void {
    const body = JSON.stringify({ error: message });
    const reason = status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found';
    const security = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n${security}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    // This runs in an 'upgrade' event handler: anything thrown here would end the process.
    try {
      accept(req, socket, head);
    } catch {
      if (!socket.destroyed) refuse(socket, 400, 'malformed upgrade request');
    }
  }

  function accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const verdict = deps.guards.check(req.method ?? 'GET', req.url ?? '/', req.headers, true, req.rawHeaders);
    if (!verdict.ok) return refuse(socket, verdict.status, verdict.message);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return refuse(socket, 400, 'malformed request target');
    }
    // Exact path only: "/%61pi/stream", "//api/stream", "/api/stream/" get a 404, never a stream.
    if (req.method !== 'GET' || url.pathname !== '/api/stream' || !(req.url ?? '').startsWith('/api/stream')) {
      return refuse(socket, 404, 'no WebSocket here; use GET /api/stream');
    }
    const sinceRaw = url.searchParams.get('since');
    if (sinceRaw !== null && !/^\d{1,15}$/.test(sinceRaw)) return refuse(socket, 400, 'since must be a delivery id');
    const outputsSinceRaw = url.searchParams.get('outputsSince');
    if (outputsSinceRaw !== null && !/^\d{1,15}$/.test(outputsSinceRaw)) return refuse(socket, 400, 'outputsSince must be an output id');
    const q = url.searchParams.get('q') ?? '';
    if (q.length > 2000) return refuse(socket, 400, 'q is too long');

    const subscription = { ...(sinceRaw !== null && { since: Number(sinceRaw) }), query: parseQuery(q) };
    const upgrade = (server: WebSocketServer) => server.handleUpgrade(req, socket, head, (ws) => {
      // The TCP socket is ours (the upgrade handed it over): the hub may cork it around a group.
      const unsubscribe = deps.hub.subscribe(ws, { ...subscription, connection: socket });
      // SIEM outputs ride the same socket: live ones always, the backlog after outputsSince when asked.
      const unsubscribeOutputs = deps.outputs?.subscribe(ws, outputsSinceRaw === null ? undefined : Number(outputsSinceRaw));
      ws.on('close', () => {
        unsubscribe();
        unsubscribeOutputs?.();
      });
      // ws has already started the closing handshake with the right code (1009 for an
      // oversized message); terminating here could drop that close frame.
      ws.on('error', () => {});
      ws.on('message', () => {
        /* clients have nothing to say; ws enforces maxPayload */
      });
    });
    if (wss) return upgrade(wss);
    // Out of the 'upgrade' handler's try: a throw here must still end in an answer, not a crash.
    loadServer().then((server) => {
      if (closed) socket.destroy();
      else if (!socket.destroyed) upgrade(server);
    }).catch(() => {
      if (!socket.destroyed) refuse(socket, 500, 'the WebSocket server could not start');
    });
  }

  /**
   * Shutdown. The hub has sent each client a close frame; a client that does not answer it
   * (or cannot even receive it: it stopped reading) would hold the listener open for ws's
   * 30 s close timeout, so whatever is still open after a grace second is cut.
   */
  function close(): void {
    closed = true;
    if (!wss) return;
    for (const ws of wss.clients) {
      if (ws.bufferedAmount > 0) ws.terminate();
      else setTimeout(() => ws.terminate(), 1000).unref();
    }
    wss.close();
  }

  return { handleUpgrade, close };
}
