// The live stream: one WebSocket to /api/stream that resumes from the last id it saw
// (so a reconnect misses nothing and repeats nothing), reconnects with capped, jittered
// backoff, and treats silence longer than a few heartbeats as a dead connection. SIEM
// outputs ride the same socket with their own cursor (outputsSince), resumed the same way.
import type { StreamMessage } from '../server/common/protocol.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface ConnectionOptions {
  /** Filter in q syntax; the server streams only matching deliveries. */
  q: string;
  /** Resume after this id (the newest one already loaded). */
  since: number;
  /** Resume SIEM outputs after this output id; omitted: live outputs only until the first one arrives. */
  outputsSince?: number;
  onMessage(message: StreamMessage): void;
  onStatus(status: ConnectionStatus): void;
  /** ws(s)://host, defaults to the page's own origin. */
  origin?: string;
  /** Silence after which the socket is presumed dead (server heartbeats every ~15 s). */
  watchdogMs?: number;
  createSocket?: (url: string) => WebSocket;
}

export interface Connection {
  /** Newest delivery id seen so far: where a reconnect resumes. */
  lastId(): number;
  /** Newest output id seen so far (or given): where a reconnect resumes outputs; null while unknown. */
  lastOutputId(): number | null;
  /** Reconnect now, resuming after `since` (after a resync refetch). */
  restart(since: number): void;
  close(): void;
}

/** Backoff before reconnect attempt n (0-based): 0.5 s doubling to 10 s, with jitter. */
export function backoffDelay(attempt: number, random = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

export function streamUrl(origin: string, since: number, q: string, outputsSince: number | null = null): string {
  const search = new URLSearchParams({ since: String(since) });
  if (q) search.set('q', q);
  if (outputsSince !== null) search.set('outputsSince', String(outputsSince));
  return `${origin}/api/stream?${search}`;
}

function defaultOrigin(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

export function createConnection(options: ConnectionOptions): Connection {
  const watchdogMs = options.watchdogMs ?? 45_000;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  let since = options.since;
  let outputsSince = options.outputsSince ?? null;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let watchdog: ReturnType<typeof setTimeout> | null = null;

  const clearTimers = () => {
    if (retryTimer !== null) clearTimeout(retryTimer);
    if (watchdog !== null) clearTimeout(watchdog);
    retryTimer = watchdog = null;
  };

  const feedWatchdog = (ws: WebSocket) => {
    if (watchdog !== null) clearTimeout(watchdog);
    watchdog = setTimeout(() => ws.close(), watchdogMs);
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer !== null) return;
    options.onStatus('reconnecting');
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, backoffDelay(attempt++));
  };

  const handle = (ws: WebSocket, message: StreamMessage) => {
    switch (message.type) {
      case 'hello':
        // The database behind the server went backwards (reset or replaced): our view
        // is stale, start over from the API.
        if (message.lastId < since) {
          options.onMessage({ type: 'resync', reason: 'the server has fewer deliveries than this page' });
          return;
        }
        break;
      case 'delivery':
        if (message.delivery.id <= since) return; // seen already: a resume overlap
        since = message.delivery.id;
        break;
      case 'output':
        // Seen already: the backlog after outputsSince overlapping what arrived live.
        if (outputsSince !== null && message.output.id <= outputsSince) return;
        outputsSince = message.output.id;
        break;
      case 'live':
        attempt = 0;
        since = Math.max(since, message.lastId);
        options.onStatus('live');
        break;
      default:
        break;
    }
    if (socket === ws) options.onMessage(message);
  };

  function open() {
    if (closed) return;
    options.onStatus(attempt === 0 && socket === null ? 'connecting' : 'reconnecting');
    const ws = createSocket(streamUrl(options.origin ?? defaultOrigin(), since, options.q, outputsSince));
    socket = ws;
    feedWatchdog(ws);
    ws.onmessage = (event: MessageEvent) => {
      if (socket !== ws) return;
      feedWatchdog(ws);
      let message: StreamMessage;
      try {
        message = JSON.parse(String(event.data)) as StreamMessage;
      } catch {
        return;
      }
      handle(ws, message);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      if (watchdog !== null) clearTimeout(watchdog);
      watchdog = null;
      scheduleReconnect();
    };
    ws.onerror = () => ws.close();
  }

  open();

  return {
    lastId: () => since,
    lastOutputId: () => outputsSince,
    restart(next: number) {
      if (closed) return;
      since = next;
      attempt = 0;
      clearTimers();
      const old = socket;
      socket = null;
      old?.close();
      open();
    },
    close() {
      closed = true;
      clearTimers();
      const old = socket;
      socket = null;
      old?.close();
      options.onStatus('closed');
    },
  };
}
