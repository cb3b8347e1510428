// Body of the writer thread (see writer.ts): its own connection, one transaction per group.
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
// Checkpoints run on their own thread (writer.ts): copying pages back into the database
// inside a commit made that commit ten times slower than the others (p99 of ingest). When
// the WAL starts over after a checkpoint, its file is cut back to 8 MiB.
db.pragma('wal_autocheckpoint = 0');
db.pragma('journal_size_limit = 8388608');
const store = createDeliveryStore(db, { maxDeliveries: options.maxDeliveries });


port.on('message', (m: WriterRequest) => {
  if (m.type === 'close') {
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
