// SIEM outputs on /api/stream: `{"type":"output","output":{...}}` after each commit. A client
// that connects with `outputsSince=<id>` first gets every stored output after that id, then
// the live ones, so one that reconnects with its last output id misses nothing and sees
// nothing twice (the same resume as deliveries' `since`). Without it, only live outputs.
import type { OutputSummary, StreamMessage } from '../common/protocol.ts';
import type { StoredOutputs } from '../store/output-wire.ts';
import type { StreamSocket } from './hub.ts';

export interface OutputFeedStore {
  listAfter(cursor: number, limit: number): OutputSummary[];
  stats(): { lastId: number };
}

interface Subscriber {
  socket: StreamSocket;
  cursor: number;
}

const PAGE = 500;
/** Beyond this much unsent data a client is told to refetch instead of buffering more. */
const HIGH_WATER = 4 * 1024 * 1024;

export function createOutputFeed(store: OutputFeedStore) {
  const subscribers = new Set<Subscriber>();
  let lastPublished = store.stats().lastId;

  function send(sub: Subscriber, message: StreamMessage | string): void {
    try {
      sub.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    } catch {
      subscribers.delete(sub); // one broken socket never breaks a broadcast
    }
  }

  return {
    /** Backlog after `since` (when given), then live; returns the unsubscribe. */
    subscribe(socket: StreamSocket, since: number | undefined): () => void {
      const sub: Subscriber = { socket, cursor: since ?? lastPublished };
      if (since !== undefined) {
        // Everything published so far is committed, so the store holds it: read up to it.
        for (;;) {
          const page = store.listAfter(sub.cursor, PAGE);
          for (const output of page) {
            send(sub, { type: 'output', output });
            sub.cursor = output.id;
          }
          if (page.length < PAGE) break;
        }
        sub.cursor = Math.max(sub.cursor, lastPublished);
      }
      subscribers.add(sub);
      return () => subscribers.delete(sub);
    },
    /** A committed group: its summaries are built only when someone is subscribed. */
    publish(stored: StoredOutputs): void {
      if (stored.count === 0) return;
      lastPublished = Math.max(lastPublished, stored.lastId);
      if (subscribers.size === 0) return;
      const outputs = stored.summaries();
      // Each output serialised once for every subscriber, not once per subscriber.
      const frames = outputs.map((output) => JSON.stringify({ type: 'output', output } satisfies StreamMessage));
      for (const sub of subscribers) {
        if (sub.socket.bufferedAmount > HIGH_WATER) {
          send(sub, { type: 'resync', reason: 'too far behind on outputs; refetch /api/outputs' });
          subscribers.delete(sub);
          continue;
        }
        outputs.forEach((output, i) => {
          if (output.id <= sub.cursor) return;
          send(sub, frames[i]!);
          sub.cursor = output.id;
        });
      }
    },
    publishDeleted(ids: number[] | 'all'): void {
      for (const sub of subscribers) send(sub, { type: 'outputs-deleted', ids });
    },
    close(): void {
      subscribers.clear();
    },
  };
}
