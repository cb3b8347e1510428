// The reader thread: queries that read many rows (the activity histogram, facet counts of a
// free-text search: about 80 ms at 100k rows, most of a second at 1M) run on their own
// thread and read-only connection, so the event loop, which also answers the receiver,
// never stalls on them. WAL lets this connection read beside the writer and the main one.
// The thread starts with the first question: a server nobody looks at does not hold it.
import type { Facets, Histogram } from '../common/protocol.ts';
import type { ParsedQuery } from '../common/query.ts';
import { startThread, type Thread } from './thread.ts';

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

/** A reader whose thread starts when it is first asked; `close` stops it if it ever started. */
export function createReader(file: string): Reader {
  const pending = new Map<number, { resolve: (v: Histogram | Facets) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let thread: Thread | null = null;
  let starting: Promise<void> | null = null;
  let failure: Error | null = null;
  const start = () => {
    starting ??= startThread<ReaderReply>('reader', { file }, (m) => {
      const p = pending.get(m.seq);
      pending.delete(m.seq);
      if (m.type === 'result') p?.resolve(m.value);
      else p?.reject(new Error(m.message));
    }, (err) => {
      const asked = [...pending.values()];
      pending.clear();
      for (const p of asked) p.reject(err);
    }).then((t) => {
      thread = t;
      pump();
    }, (err: Error) => {
      failure = err;
      pump();
    });
  };
  const failed = () => failure ?? thread?.failure ?? null;

  // One question at a time on the thread; the rest wait here, so a question whose asker
  // has gone (a UI that changed its filter aborts the old request) is dropped unasked
  // instead of costing the thread a full scan.
  const waiting: { request: Question; signal: AbortSignal | undefined; resolve: (v: Histogram | Facets) => void; reject: (e: Error) => void }[] = [];
  const pump = () => {
    const error = failed();
    if (error) {
      for (const w of waiting.splice(0)) w.reject(error);
      return;
    }
    if (!thread) return start();
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
    thread.post({ ...next.request, seq: id } satisfies ReaderRequest);
  };
  const ask = <T extends Histogram | Facets>(request: Question, signal?: AbortSignal): Promise<T> => {
    const error = failed();
    if (error) return Promise.reject(error);
    return new Promise<T>((resolve, reject) => {
      waiting.push({ request, signal, resolve: resolve as (v: Histogram | Facets) => void, reject });
      pump();
    });
  };

  return {
    histogram: (query, buckets, signal) => ask<Histogram>({ type: 'histogram', query, buckets }, signal),
    facets: (query, signal) => ask<Facets>({ type: 'facets', query }, signal),
    async close() {
      if (!starting) failure ??= new Error('reader thread: closed');
      await starting;
      await thread?.close();
    },
  };
}
