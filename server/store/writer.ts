// The writer thread: group commits run on their own thread with their own connection, so
// the event loop keeps reading requests, verifying signatures and pushing the stream while
// SQLite writes, indexes and compresses. A third connection on a small thread of its own
// checkpoints the WAL, which in WAL mode runs beside the writer instead of inside a commit.
// Reads (API, stream backlog) stay on the main connection; WAL lets all of them run at once.
import type { DeliverySummary } from '../common/protocol.ts';
import { summaryOf } from './deliveries.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { Durability } from './db.ts';
import { startThread, type Thread } from './thread.ts';
import type { CheckpointerOptions } from './checkpointer-thread.ts';
import type { NewAttempt } from './attempts.ts';
import type { NewOutput } from './outputs.ts';
import { encodeOutputs, storedOutputsOf, type OutputBatchWire, type StoredOutputs } from './output-wire.ts';

export interface WriterOptions {
  file: string;
  durability: Durability;
  maxDeliveries: number;
}

export interface Writer {
  /** Commit the records in one transaction on the writer thread; resolves after the commit. */
  insertBatch(records: NewDelivery[]): Promise<DeliverySummary[]>;
  /** Commit SIEM outputs (linked to their deliveries) in one transaction on the same thread. */
  insertOutputs(records: NewOutput[]): Promise<StoredOutputs>;
  /** Commit send/replay/forward attempts in one transaction: ids, or null where the delivery is gone. */
  insertAttempts(records: NewAttempt[]): Promise<(number | null)[]>;
  close(): Promise<void>;
}

/** How often the checkpointer copies committed WAL pages back into the database. */
const CHECKPOINT_MS = 1000;

/**
 * A PASSIVE checkpoint every CHECKPOINT_MS on its own connection and thread
 * (checkpointer-thread.ts). Started CHECKPOINT_MS after the first write: an idle server has
 * nothing to checkpoint (and holds one thread fewer), and the first burst of deliveries
 * does not share the CPU with a thread starting up.
 */
function createCheckpointer(file: string): { start(): void; close(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let thread: Promise<Thread | null> | null = null;
  return {
    start() {
      if (timer || thread) return;
      timer = setTimeout(() => {
        // A checkpointer that cannot start costs a larger WAL, never a delivery: the writer
        // still commits, and SQLite checkpoints when the last connection closes.
        thread = startThread('checkpointer', { file, intervalMs: CHECKPOINT_MS } satisfies CheckpointerOptions, () => {}, () => {}).catch(() => null);
      }, CHECKPOINT_MS);
      timer.unref();
    },
    async close() {
      if (timer) clearTimeout(timer);
      await (await thread)?.close();
    },
  };
}

/** A record as it crosses to the thread: no body (all bodies travel in one buffer) and no text copy. */
export type WireRecord = Omit<NewDelivery, 'bodyText' | 'body'>;

export type WriterRequest =
  | { type: 'insert'; seq: number; records: WireRecord[]; bodies: ArrayBuffer; lengths: number[] }
  | { type: 'outputs'; seq: number; batch: OutputBatchWire }
  | { type: 'attempts'; seq: number; records: NewAttempt[] }
  | { type: 'close' };
export type WriterReply =
  | { type: 'ready' }
  /** id and duplicate-of (-1 for none) per record, in order. */
  | { type: 'inserted'; seq: number; ids: Float64Array }
  /** Ids and links of the outputs, in order (output-wire.ts encodeLinks: a moved buffer of numbers). */
  | { type: 'outputs-inserted'; seq: number; links: Float64Array }
  | { type: 'attempts-inserted'; seq: number; ids: (number | null)[] }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'closed' };

/** Start the thread and wait until it has the database open. */
export async function startWriter(options: WriterOptions): Promise<Writer> {
  const pending = new Map<number, { records: NewDelivery[]; resolve: (s: DeliverySummary[]) => void; reject: (e: Error) => void }>();
  const pendingOutputs = new Map<number, { records: NewOutput[]; resolve: (s: StoredOutputs) => void; reject: (e: Error) => void }>();
  const pendingAttempts = new Map<number, { resolve: (ids: (number | null)[]) => void; reject: (e: Error) => void }>();
  let seq = 0;
  const thread = await startThread<WriterReply>('writer', options, (m) => {
    const a = pendingAttempts.get(m.seq);
    if (a) {
      pendingAttempts.delete(m.seq);
      if (m.type === 'attempts-inserted') a.resolve(m.ids);
      else a.reject(new Error(m.type === 'failed' ? m.message : 'unexpected writer reply'));
      return;
    }
    const o = pendingOutputs.get(m.seq);
    if (o) {
      pendingOutputs.delete(m.seq);
      // Only ids and links come back: summaries are built from the records this thread holds.
      if (m.type === 'outputs-inserted') o.resolve(storedOutputsOf(o.records, m.links));
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
    const waiting = [...pending.values(), ...pendingOutputs.values(), ...pendingAttempts.values()];
    pending.clear();
    pendingOutputs.clear();
    pendingAttempts.clear();
    for (const p of waiting) p.reject(err);
  });
  const checkpointer = createCheckpointer(options.file);

  return {
    insertBatch(records) {
      if (thread.failure) return Promise.reject(thread.failure);
      checkpointer.start();
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
      checkpointer.start();
      const id = ++seq;
      const { wire, transfer } = encodeOutputs(records);
      return new Promise((resolve, reject) => {
        pendingOutputs.set(id, { records, resolve, reject });
        const message: WriterRequest = { type: 'outputs', seq: id, batch: wire };
        thread.post(message, transfer);
      });
    },
    insertAttempts(records) {
      if (thread.failure) return Promise.reject(thread.failure);
      checkpointer.start();
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pendingAttempts.set(id, { resolve, reject });
        thread.post({ type: 'attempts', seq: id, records } satisfies WriterRequest);
      });
    },
    async close() {
      await checkpointer.close();
      await thread.close();
    },
  };
}
