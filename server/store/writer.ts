// The writer thread: group commits run on their own thread with their own connection, so
// the event loop keeps reading requests, verifying signatures and pushing the stream while
// SQLite writes, indexes, compresses and checkpoints. Reads (API, stream backlog) stay on
// the main connection; WAL lets both run at once.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { DeliverySummary } from '../protocol.ts';
import { summaryOf, type NewDelivery } from './deliveries.ts';
import type { Durability } from './db.ts';

export interface WriterOptions {
  file: string;
  durability: Durability;
  maxDeliveries: number;
}

export interface Writer {
  /** Commit the records in one transaction on the writer thread; resolves after the commit. */
  insertBatch(records: NewDelivery[]): Promise<DeliverySummary[]>;
  close(): Promise<void>;
}

/** A record as it crosses to the thread: no body (all bodies travel in one buffer) and no text copy. */
export type WireRecord = Omit<NewDelivery, 'bodyText' | 'body'>;

export type WriterRequest =
  | { type: 'insert'; seq: number; records: WireRecord[]; bodies: ArrayBuffer; lengths: number[] }
  | { type: 'close' };
export type WriterReply =
  | { type: 'ready' }
  /** id and duplicate-of (-1 for none) per record, in order. */
  | { type: 'inserted'; seq: number; ids: Float64Array }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

/** URL of tsx's ESM register API, found through its package.json exports (ESM condition). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(manifest.exports['./esm/api']!.import.default, pathToFileURL(manifestPath)).href;
}

/**
 * Start the thread and wait until it has the database open. The thread runs TypeScript, so
 * it registers tsx's loader itself (a programmatic register in the parent is not inherited).
 */
export async function startWriter(options: WriterOptions): Promise<Writer> {
  const entry = new URL('./writer-thread.ts', import.meta.url).href;
  const bootstrap = `(async () => {
    const tsx = await import(${JSON.stringify(tsxEsmApi())});
    (tsx.register ?? tsx.default.register)();
    await import(${JSON.stringify(entry)});
  })().catch((err) => { require('node:worker_threads').parentPort.postMessage({ type: 'fatal', message: String(err && err.stack || err) }); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: options });

  const pending = new Map<number, { records: NewDelivery[]; resolve: (s: DeliverySummary[]) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failure: Error | null = null;
  let closed: (() => void) | null = null;

  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: WriterReply) => {
      switch (m.type) {
        case 'ready':
          resolve();
          break;
        case 'inserted': {
          const p = pending.get(m.seq);
          pending.delete(m.seq);
          // Summaries are built here from the records this thread still holds: only numbers
          // come back from the writer.
          p?.resolve(p.records.map((r, i) => summaryOf(r, m.ids[2 * i]!, m.ids[2 * i + 1]! < 0 ? null : m.ids[2 * i + 1]!)));
          break;
        }
        case 'failed':
          pending.get(m.seq)?.reject(new Error(m.message));
          pending.delete(m.seq);
          break;
        case 'fatal':
          failAll(new Error(`writer thread: ${m.message}`));
          reject(failure);
          break;
        case 'closed':
          closed?.();
          break;
      }
    });
    worker.on('error', (err) => {
      failAll(err);
      reject(err);
    });
    worker.on('exit', (code) => {
      failAll(new Error(`writer thread exited (${code})`));
      reject(failure);
      closed?.();
    });
  });

  return {
    insertBatch(records) {
      if (failure) return Promise.reject(failure);
      const id = ++seq;
      // Every body copied once into one buffer that is moved (not cloned) to the thread.
      const lengths = records.map((r) => r.body.length);
      const bodies = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
      let at = 0;
      const wire = records.map((r): WireRecord => {
        bodies.set(r.body, at);
        at += r.body.length;
        const { body: _body, bodyText: _text, ...rest } = r;
        return rest;
      });
      return new Promise((resolve, reject) => {
        pending.set(id, { records, resolve, reject });
        const message: WriterRequest = { type: 'insert', seq: id, records: wire, bodies: bodies.buffer, lengths };
        worker.postMessage(message, [bodies.buffer]);
      });
    },
    close() {
      if (failure) return worker.terminate().then(() => undefined);
      return new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ type: 'close' } satisfies WriterRequest);
      });
    },
  };
}
