// The reader thread: queries that read many rows (the activity histogram, facet counts of a
// free-text search: about 80 ms at 100k rows, most of a second at 1M) run on their own
// thread and read-only connection, so the event loop, which also answers the receiver,
// never stalls on them. WAL lets this connection read beside the writer and the main one.
import type { Facets, Histogram } from '../protocol.ts';
import type { ParsedQuery } from '../query/parse.ts';
import { startTsWorker } from './ts-worker.ts';

type Question = { type: 'histogram'; query: ParsedQuery; buckets: number } | { type: 'facets'; query: ParsedQuery };
export type ReaderRequest = (Question & { seq: number }) | { type: 'close' };
export type ReaderReply =
  | { type: 'ready' }
  | { type: 'result'; seq: number; value: Histogram | Facets }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

export interface Reader {
  histogram(query: ParsedQuery, buckets: number): Promise<Histogram>;
  facets(query: ParsedQuery): Promise<Facets>;
  close(): Promise<void>;
}

/** Start the thread and wait until it has the database open. */
export async function startReader(file: string): Promise<Reader> {
  const worker = startTsWorker(new URL('./reader-thread.ts', import.meta.url), { file });
  const pending = new Map<number, { resolve: (v: Histogram | Facets) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failure: Error | null = null;
  let closed: (() => void) | null = null;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: ReaderReply) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'result' || m.type === 'failed') {
        const p = pending.get(m.seq);
        pending.delete(m.seq);
        if (m.type === 'result') p?.resolve(m.value);
        else p?.reject(new Error(m.message));
      } else if (m.type === 'fatal') {
        failAll(new Error(`reader thread: ${m.message}`));
        reject(failure);
      } else closed?.();
    });
    worker.on('error', (err) => {
      failAll(err);
      reject(err);
    });
    worker.on('exit', (code) => {
      failAll(new Error(`reader thread exited (${code})`));
      reject(failure);
      closed?.();
    });
  });

  const ask = <T extends Histogram | Facets>(request: Question): Promise<T> => {
    if (failure) return Promise.reject(failure);
    const id = ++seq;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: Histogram | Facets) => void, reject });
      worker.postMessage({ ...request, seq: id });
    });
  };

  return {
    histogram: (query, buckets) => ask<Histogram>({ type: 'histogram', query, buckets }),
    facets: (query) => ask<Facets>({ type: 'facets', query }),
    async close() {
      if (failure) {
        await worker.terminate();
        return;
      }
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ type: 'close' } satisfies ReaderRequest);
      });
    },
  };
}
