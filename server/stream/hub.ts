// Stream hub: each subscriber gets the stored backlog after its cursor, then live
// deliveries, in id order, each exactly once. A subscriber whose socket stops draining is
// not buffered without bound: it falls back to catching up from the store once it drains.
import type { Attempt, DeliverySummary, JobStatus, StreamMessage } from '../common/protocol.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { formatQuery, type ParsedQuery } from '../common/query.ts';

/** The part of a WebSocket the hub needs (ws's WebSocket fits). */
export interface StreamSocket {
  /** Text frames; a Buffer holds UTF-8 already encoded once for every subscriber. */
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
}

/**
 * The connection under a socket, when the caller holds it (the TCP socket handed over by the
 * HTTP upgrade). Corking it around one group makes ws's frames of that group one write per
 * client instead of one per frame; Node's public stream API, ws still writes every frame.
 */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

const TEXT = { binary: false } as const;

export interface HubOptions {
  store: Pick<DeliveryStore, 'listAfter' | 'matchingIds' | 'stats'>;
  /** Stop sending to a socket holding more than this many unsent bytes (default 1 MiB). */
  highWater?: number;
  /** Rows per backlog page (default 500). */
  pageSize?: number;
  /** Heartbeat interval in ms (default 15 s; 0 disables). */
  heartbeatMs?: number;
}

interface Subscriber {
  socket: StreamSocket;
  connection: Corkable | null;
  query: ParsedQuery;
  queryKey: string;
  /** Highest id sent (or known not to match). */
  cursor: number;
  mode: 'catching-up' | 'live';
  announcedLive: boolean;
  retry: NodeJS.Timeout | null;
  closed: boolean;
}

export type Hub = ReturnType<typeof createHub>;

export function createHub(options: HubOptions) {
  const { store } = options;
  const highWater = options.highWater ?? 1024 * 1024;
  const pageSize = options.pageSize ?? 500;
  const subscribers = new Set<Subscriber>();
  let heartbeat: NodeJS.Timeout | null = null;
  /**
   * Highest id published. Commits happen on the writer thread, so the store may already
   * hold rows whose publish is still on its way: a subscriber may skip ahead to this id
   * (everything up to it was committed before this thread published it), never to the
   * store's last id.
   */
  let lastPublished = store.stats().lastId;

  function sendRaw(sub: Subscriber, text: string | Buffer): void {
    try {
      if (typeof text === 'string') sub.socket.send(text);
      else sub.socket.send(text, TEXT);
    } catch {
      // One broken socket never breaks a broadcast.
      remove(sub);
    }
  }

  /** Send the backlog after the cursor page by page; switches to live in the same tick as the last read. */
  function pump(sub: Subscriber): void {
    sub.retry = null;
    while (!sub.closed) {
      if (sub.socket.bufferedAmount > highWater) {
        sub.retry = setTimeout(() => pump(sub), 25);
        return;
      }
      const page = store.listAfter(sub.query, sub.cursor, pageSize);
      sub.connection?.cork();
      try {
        for (const d of page) {
          sendRaw(sub, deliveryFrame(d));
          sub.cursor = d.id;
        }
      } finally {
        sub.connection?.uncork();
      }
      if (page.length < pageSize) {
        // Every row published so far was committed before that read, so the page held all
        // of them that match; rows committed since arrive through publish (ids above the cursor).
        sub.cursor = Math.max(sub.cursor, lastPublished);
        sub.mode = 'live';
        if (!sub.announcedLive) {
          sub.announcedLive = true;
          sendRaw(sub, JSON.stringify({ type: 'live', lastId: sub.cursor } satisfies StreamMessage));
        }
        return;
      }
    }
  }

  function remove(sub: Subscriber): void {
    sub.closed = true;
    if (sub.retry) clearTimeout(sub.retry);
    subscribers.delete(sub);
    if (subscribers.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }

  function subscribe(socket: StreamSocket, opts: { since?: number; query: ParsedQuery; connection?: Corkable }): () => void {
    const stats = store.stats();
    const sub: Subscriber = {
      socket,
      connection: opts.connection ?? null,
      query: opts.query,
      queryKey: formatQuery(opts.query),
      cursor: opts.since ?? lastPublished,
      mode: 'catching-up',
      announcedLive: false,
      retry: null,
      closed: false,
    };
    subscribers.add(sub);
    sendRaw(sub, JSON.stringify({ type: 'hello', lastId: stats.lastId, total: stats.total, pruned: stats.pruned } satisfies StreamMessage));
    pump(sub);
    const interval = options.heartbeatMs ?? 15_000;
    if (!heartbeat && interval > 0) {
      heartbeat = setInterval(() => broadcast(JSON.stringify({ type: 'heartbeat', at: new Date().toISOString() } satisfies StreamMessage)), interval);
      heartbeat.unref();
    }
    return () => remove(sub);
  }

  /** After a commit: push the batch to every live subscriber whose filter it matches. */
  function publish(batch: DeliverySummary[]): void {
    if (batch.length === 0) return;
    lastPublished = Math.max(lastPublished, batch[batch.length - 1]!.id);
    if (subscribers.size === 0) return;
    // Serialised and UTF-8 encoded once per group, the same Buffer sent to every subscriber
    // (ws frames a Buffer without copying it).
    const frames = batch.map((d) => Buffer.from(deliveryFrame(d)));
    const matchesByQuery = new Map<string, Set<number>>();
    for (const sub of subscribers) {
      if (sub.mode !== 'live') continue; // catching up reads these rows from the store
      let matches: Set<number> | null = null;
      if (sub.queryKey !== '') {
        matches = matchesByQuery.get(sub.queryKey) ?? null;
        if (!matches) {
          matches = store.matchingIds(sub.query, batch.map((d) => d.id));
          matchesByQuery.set(sub.queryKey, matches);
        }
      }
      sub.connection?.cork();
      try {
        for (let i = 0; i < batch.length; i++) {
          const d = batch[i]!;
          if (d.id <= sub.cursor) continue;
          if (sub.closed) break;
          if (sub.socket.bufferedAmount > highWater) {
            // Too far behind: stop buffering; catch up from the store once it drains.
            sub.mode = 'catching-up';
            sub.retry = setTimeout(() => pump(sub), 25);
            break;
          }
          if (!matches || matches.has(d.id)) sendRaw(sub, frames[i]!);
          sub.cursor = d.id;
        }
      } finally {
        sub.connection?.uncork();
      }
    }
  }

  function broadcast(text: string): void {
    for (const sub of subscribers) if (!sub.closed) sendRaw(sub, text);
  }

  /** Attempt ids published since the last adoptAttempts (so they are not pushed twice). */
  const attemptsPublished = new Set<number>();

  return {
    subscribe,
    publish,
    publishDeleted(ids: number[] | 'all'): void {
      broadcast(JSON.stringify({ type: 'deleted', ids } satisfies StreamMessage));
    },
    publishAttempt(deliveryId: number, attempt: Attempt): void {
      attemptsPublished.add(attempt.id);
      // Live forwarding publishes one per delivery per try: no text is built when nobody listens.
      if (subscribers.size === 0) return;
      broadcast(JSON.stringify({ type: 'attempt', deliveryId, attempt } satisfies StreamMessage));
    },
    /** Whether this process published attempt `id` itself (and has not settled it since). */
    publishedAttempt(id: number): boolean {
      return attemptsPublished.has(id);
    },
    /**
     * Publish attempts another process recorded (the `replay` CLI), given in id order, and
     * skip those this process published itself; every id up to `settledUpTo` is settled.
     */
    adoptAttempts(recorded: readonly { deliveryId: number; attempt: Attempt }[], settledUpTo = recorded.at(-1)?.attempt.id ?? 0): void {
      for (const { deliveryId, attempt } of recorded) {
        if (!attemptsPublished.has(attempt.id)) broadcast(JSON.stringify({ type: 'attempt', deliveryId, attempt } satisfies StreamMessage));
      }
      for (const id of attemptsPublished) if (id <= settledUpTo) attemptsPublished.delete(id);
    },
    publishJob(job: JobStatus): void {
      broadcast(JSON.stringify({ type: 'job', job } satisfies StreamMessage));
    },
    /** Conformance check progress (POST /api/checks): a run started/finished, or one result. */
    publishCheck(message: Extract<StreamMessage, { type: 'check' | 'check-run' }>): void {
      broadcast(JSON.stringify(message satisfies StreamMessage));
    },
    /** Highest id pushed to subscribers so far. */
    get lastPublished() {
      return lastPublished;
    },
    get size() {
      return subscribers.size;
    },
    close(): void {
      for (const sub of [...subscribers]) {
        remove(sub);
        sub.socket.close(1001, 'server shutting down');
      }
    },
  };
}

function deliveryFrame(delivery: DeliverySummary): string {
  return JSON.stringify({ type: 'delivery', delivery } satisfies StreamMessage);
}
