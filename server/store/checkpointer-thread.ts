// Body of the checkpointer thread (see writer.ts): its own connection copies committed WAL
// pages back into the database every intervalMs with a PASSIVE checkpoint, which never
// waits for or blocks the writer or the readers (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ThreadLifecycle } from './thread.ts';

export interface CheckpointerOptions {
  file: string;
  intervalMs: number;
}

const options = workerData as CheckpointerOptions;
const port = parentPort!;
const db = new Database(options.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the next turn checkpoints what this one could not
  }
}, options.intervalMs);

port.on('message', () => {
  clearInterval(timer);
  db.close();
  port.postMessage({ type: 'closed' } satisfies ThreadLifecycle);
  port.close();
});
port.postMessage({ type: 'ready' } satisfies ThreadLifecycle);
