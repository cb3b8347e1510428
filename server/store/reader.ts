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
  /** `signal`: the asker went away; a question not started yet is dropped (rejects). */
  histogram(query: ParsedQuery, buckets: number, signal?: AbortSignal): Promise<Histogram>;
  facets(query: ParsedQuery, signal?: AbortSignal): Promise<Facets>;
  close(): Promise<void>;
}

/** Rejection of a question whose asker went away before it was asked. */
export class QuestionDropped extends Error {}

/** Start the thread and wait until it has the database open. */
export async function startReader(file: string): Promise<Reader> {
  const worker = startTsWorker(new URL('./reader-thread.ts', import.meta.url), { file });
  const pending = new Map<number, { resolve: (v: Histogram | Facets) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failure: Error | null = null;
  let closed: (() => void) | null = null;
  const failAll = (err: Error) => {
    failure ??= err;
    const asked = [...pending.values()];
    pending.clear();
    for (const p of asked) p.reject(err);
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

  // One question at a time on the thread; the rest wait here, so a question whose asker
  // has gone (a UI that changed its filter aborts the old request) is dropped unasked
  // instead of costing the thread a full scan.
  const waiting: { request: Question; signal: AbortSignal | undefined; resolve: (v: Histogram | Facets) => void; reject: (e: Error) => void }[] = [];
  const pump = () => {
    if (failure) {
      for (const w of waiting.splice(0)) w.reject(failure);
      return;
    }
    if (pending.size > 0) return;
    let next = waiting.shift();
    while (next?.signal?.aborted) {
      next.reject(new QuestionDropped('the request was aborted before its question was asked'));
      next = waiting.shift();
    }
    if (!next) return;
    const id = ++seq;
    const { resolve, reject } = next;
    pending.set(id, {
      resolve: (v) => (resolve(v), pump()),
      reject: (e) => (reject(e), pump()),
    });
    worker.postMessage({ ...next.request, seq: id });
  };
  const ask = <T extends Histogram | Facets>(request: Question, signal?: AbortSignal): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      waiting.push({ request, signal, resolve: resolve as (v: Histogram | Facets) => void, reject });
      pump();
    });
  };

  return {
    histogram: (query, buckets, signal) => ask<Histogram>({ type: 'histogram', query, buckets }, signal),
    facets: (query, signal) => ask<Facets>({ type: 'facets', query }, signal),
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
