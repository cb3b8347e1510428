// The writer thread: group commits run on their own thread with their own connection, so
// the event loop keeps reading requests, verifying signatures and pushing the stream while
// SQLite writes, indexes and compresses. A third connection on a small thread of its own
// checkpoints the WAL, which in WAL mode runs beside the writer instead of inside a commit.
// Reads (API, stream backlog) stay on the main connection; WAL lets all of them run at once.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { DeliverySummary } from '../shared/protocol.ts';
import { summaryOf } from './deliveries.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { Durability } from './db.ts';
import { startThread } from './ts-worker.ts';
import { outputSummaryOf, type NewOutput, type StoredLink } from './outputs.ts';
import type { OutputSummary } from '../shared/protocol.ts';

export interface WriterOptions {
  file: string;
  durability: Durability;
  maxDeliveries: number;
}

export interface Writer {
  /** Commit the records in one transaction on the writer thread; resolves after the commit. */
  insertBatch(records: NewDelivery[]): Promise<DeliverySummary[]>;
  /** Commit SIEM outputs (linked to their deliveries) in one transaction on the same thread. */
  insertOutputs(records: NewOutput[]): Promise<OutputSummary[]>;
  close(): Promise<void>;
}

/** How often the checkpointer copies committed WAL pages back into the database. */
const CHECKPOINT_MS = 1000;

/**
 * A PASSIVE checkpoint every CHECKPOINT_MS on its own connection and thread: it never waits
 * for or blocks the writer or readers. Plain JavaScript (no loader), so it starts at once.
 */
function startCheckpointer(file: string): { close(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file, { fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    const timer = setInterval(() => {
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    }, workerData.intervalMs);
    parentPort.on('message', () => {
      clearInterval(timer);
      db.close();
      parentPort.close();
    });
  `, { eval: true, workerData: { file, driver, intervalMs: CHECKPOINT_MS } });
  worker.unref();
  return {
    close: () => new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    }),
  };
}

/** A record as it crosses to the thread: no body (all bodies travel in one buffer) and no text copy. */
export type WireRecord = Omit<NewDelivery, 'bodyText' | 'body'>;

export type WriterRequest =
  | { type: 'insert'; seq: number; records: WireRecord[]; bodies: ArrayBuffer; lengths: number[] }
  | { type: 'outputs'; seq: number; records: Omit<NewOutput, 'body'>[]; bodies: ArrayBuffer; lengths: number[] }
  | { type: 'close' };
export type WriterReply =
  | { type: 'ready' }
  /** id and duplicate-of (-1 for none) per record, in order. */
  | { type: 'inserted'; seq: number; ids: Float64Array }
  | { type: 'outputs-inserted'; seq: number; links: StoredLink[] }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

/** Start the thread and wait until it has the database open. */
export async function startWriter(options: WriterOptions): Promise<Writer> {
  const pending = new Map<number, { records: NewDelivery[]; resolve: (s: DeliverySummary[]) => void; reject: (e: Error) => void }>();
  const pendingOutputs = new Map<number, { records: NewOutput[]; resolve: (s: OutputSummary[]) => void; reject: (e: Error) => void }>();
  let seq = 0;
  const thread = await startThread<WriterReply>('writer', new URL('./writer-thread.ts', import.meta.url), options, (m) => {
    const o = pendingOutputs.get(m.seq);
    if (o) {
      pendingOutputs.delete(m.seq);
      // Summaries are built here from the records this thread still holds: only ids and links come back.
      if (m.type === 'outputs-inserted') o.resolve(o.records.map((r, i) => outputSummaryOf(r, m.links[i]!, r.body.length)));
      else o.reject(new Error(m.type === 'failed' ? m.message : 'unexpected writer reply'));
      return;
    }
    const p = pending.get(m.seq);
    pending.delete(m.seq);
    // Summaries are built here from the records this thread still holds: only numbers
    // come back from the writer.
    if (m.type === 'inserted') p?.resolve(p.records.map((r, i) => summaryOf(r, m.ids[2 * i]!, m.ids[2 * i + 1]! < 0 ? null : m.ids[2 * i + 1]!)));
    else p?.reject(new Error(m.type === 'failed' ? m.message : 'unexpected writer reply'));
  }, (err) => {
    const waiting = [...pending.values(), ...pendingOutputs.values()];
    pending.clear();
    pendingOutputs.clear();
    for (const p of waiting) p.reject(err);
  });
  const checkpointer = startCheckpointer(options.file);

  return {
    insertBatch(records) {
      if (thread.failure) return Promise.reject(thread.failure);
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
        thread.post(message, [bodies.buffer]);
      });
    },
    insertOutputs(records) {
      if (thread.failure) return Promise.reject(thread.failure);
      const id = ++seq;
      const lengths = records.map((r) => r.body.length);
      const bodies = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
      let at = 0;
      const wire = records.map((r) => {
        bodies.set(r.body, at);
        at += r.body.length;
        const { body: _body, ...rest } = r;
        return rest;
      });
      return new Promise((resolve, reject) => {
        pendingOutputs.set(id, { records, resolve, reject });
        const message: WriterRequest = { type: 'outputs', seq: id, records: wire, bodies: bodies.buffer, lengths };
        thread.post(message, [bodies.buffer]);
      });
    },
    async close() {
      await checkpointer.close();
      await thread.close();
    },
  };
}
