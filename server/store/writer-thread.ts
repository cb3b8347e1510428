// Body of the writer thread (see writer.ts): its own connection, one transaction per group,
// and the WAL checkpoints, so that copying pages back into the database never runs on the
// event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.ts';
import { createDeliveryStore, decodeUtf8, type NewDelivery } from './deliveries.ts';
import type { WriterOptions, WriterReply, WriterRequest } from './writer.ts';

const options = workerData as WriterOptions;
const port = parentPort!;
const post = (m: WriterReply) => port.postMessage(m);

const db = openDatabase(options.file, { durability: options.durability });
// The receiver must not fail a delivery because a user deletes many rows at the same time
// (that holds the write lock for a while): wait for the lock far longer than readers do.
db.pragma('busy_timeout = 60000');
// Checkpoint every ~32 MiB of WAL rather than 4: index pages rewritten by many commits are
// copied back once per checkpoint, so fewer checkpoints copy far fewer pages. Afterwards
// the WAL file is cut back to 8 MiB.
db.pragma('wal_autocheckpoint = 8000');
db.pragma('journal_size_limit = 8388608');
const store = createDeliveryStore(db, { maxDeliveries: options.maxDeliveries });

// The main connection does not checkpoint (inspector.ts); its own commits (attempts,
// deletions) are checkpointed from here after a second without deliveries.
let lastInsert = 0;
const checkpoints = setInterval(() => {
  if (Date.now() - lastInsert >= 1000) db.pragma('wal_checkpoint(PASSIVE)');
}, 1000);
checkpoints.unref();

port.on('message', (m: WriterRequest) => {
  if (m.type === 'close') {
    clearInterval(checkpoints);
    db.close();
    post({ type: 'closed' });
    port.close();
    return;
  }
  try {
    let at = 0;
    const records = m.records.map((r, i): NewDelivery => {
      const body = Buffer.from(m.bodies, at, m.lengths[i]!);
      at += m.lengths[i]!;
      return { ...r, body, bodyText: r.bodyKind === 'binary' ? null : decodeUtf8(body) };
    });
    const summaries = store.insertBatch(records);
    lastInsert = Date.now();
    const ids = new Float64Array(summaries.length * 2);
    summaries.forEach((s, i) => {
      ids[2 * i] = s.id;
      ids[2 * i + 1] = s.duplicateOf ?? -1;
    });
    port.postMessage({ type: 'inserted', seq: m.seq, ids } satisfies WriterReply, [ids.buffer]);
  } catch (err) {
    post({ type: 'failed', seq: m.seq, message: (err as Error).message });
  }
});

post({ type: 'ready' });
