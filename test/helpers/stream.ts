// A WebSocket client for /api/stream tests that collects messages and waits for conditions.
import WebSocket from 'ws';
import type { StreamMessage } from '../../server/common/protocol.ts';

export interface StreamClient {
  ws: WebSocket;
  messages: StreamMessage[];
  deliveryIds(): number[];
  waitFor(predicate: (messages: StreamMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openStream(uiUrl: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<StreamClient> {
  const url = new URL('/api/stream', uiUrl.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const ws = new WebSocket(url, { headers });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as StreamMessage);
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    deliveryIds: () => messages.flatMap((m) => (m.type === 'delivery' ? [m.delivery.id] : [])),
    waitFor(predicate, timeoutMs = 10_000) {
      if (predicate(messages)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stream condition not met in ${timeoutMs} ms; ${messages.length} messages`));
        }, timeoutMs);
        const check = () => {
          if (predicate(messages)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
      });
    },
    close() {
      return new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
