// Body of the writer thread (see writer.ts): its own connection, one transaction per group.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.ts';
import { createDeliveryStore } from './deliveries.ts';
import { decodeUtf8, type NewDelivery } from '../delivery/new-delivery.ts';
import type { WriterOptions, WriterReply, WriterRequest } from './writer.ts';
import { createOutputStore } from './outputs.ts';
import { createAttemptStore } from './attempts.ts';
import { decodeOutputs, encodeLinks } from './output-wire.ts';

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
// SIEM outputs commit here too, so their correlation reads the deliveries this thread wrote.
const outputs = createOutputStore(db, { maxOutputs: options.maxDeliveries });
// Live forwarding's attempts, batched (sender/attempt-batch.ts): off the event loop's connection.
const attempts = createAttemptStore(db);

// When idle the writer also rolls the newest rows up (histogram buckets, title keys).
// FTS5 merges its index segments inside whichever commit triggers the merge (automerge),
// which made those the slowest commits under load (a group's commit p99 7.6 ms against a
// 2 ms median, 3.6 ms without FTS). Here merging waits until the writer is idle: automerge
// off, and IDLE_MS after the last group, merge steps of MERGE_PAGES pages each, one per
// turn of the event loop so a group that arrives goes first, until FTS5 reports nothing
// left to merge ('merge' with a positive N merges levels holding `usermerge`, 4, or more
// segments: the shape automerge keeps). During a long burst a level is merged at once
// when it reaches CRISIS_SEGMENTS. The settings live in the database, so `import` in
// another process defers its merges to this thread too.
const IDLE_MS = 200;
const MERGE_PAGES = 64;
/** Pruned rows' full-text entries removed per idle turn (50-200 µs each: a group that arrives waits for one turn at most). */
const STALE_FTS_CHUNK = 64;
const CRISIS_SEGMENTS = 32;
db.exec(`INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('automerge', 0)`);
db.exec(`INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('crisismerge', ${CRISIS_SEGMENTS})`);
const totalChanges = db.prepare('SELECT total_changes()').pluck();
const mergeStep = db.prepare(`INSERT INTO deliveries_fts (deliveries_fts, rank) VALUES ('merge', ${MERGE_PAGES})`);
let mergeTimer: NodeJS.Timeout | null = null;
function mergeWhenIdle(delayMs = IDLE_MS): void {
  if (mergeTimer) clearTimeout(mergeTimer);
  mergeTimer = setTimeout(mergeOnce, delayMs);
}
function mergeOnce(): void {
  mergeTimer = null;
  try {
    // Idle: the rows past the roll-up mark join the histogram's buckets and title keys (rollup.ts),
    // then pruned rows leave the full-text index, a chunk per turn (fts-stale.ts).
    store.rollUp();
    if (store.cleanStaleFts(STALE_FTS_CHUNK) > 0) return mergeWhenIdle(0);
    const before = totalChanges.get() as number;
    mergeStep.run();
    // Fewer than 2 changes: FTS5 found nothing to merge (its documented signal).
    if ((totalChanges.get() as number) - before >= 2) mergeWhenIdle(0);
  } catch {
    mergeWhenIdle(); // the database was busy (another writer): try again when idle
  }
}
mergeWhenIdle(); // whatever earlier runs or other processes left unmerged


port.on('message', (m: WriterRequest) => {
  if (m.type === 'close') {
    if (mergeTimer) clearTimeout(mergeTimer);
    db.close();
    post({ type: 'closed' });
    port.close();
    return;
  }
  if (m.type === 'attempts') {
    try {
      post({ type: 'attempts-inserted', seq: m.seq, ids: attempts.recordBatch(m.records) });
    } catch (err) {
      post({ type: 'failed', seq: m.seq, message: (err as Error).message });
    }
    return;
  }
  if (m.type === 'outputs') {
    try {
      const links = encodeLinks(outputs.insertBatch(decodeOutputs(m.batch)));
      port.postMessage({ type: 'outputs-inserted', seq: m.seq, links } satisfies WriterReply, [links.buffer]);
    } catch (err) {
      post({ type: 'failed', seq: m.seq, message: (err as Error).message });
    }
    return;
  }
  try {
    let at = 0;
    const records = m.records.map((r, i): NewDelivery => {
      const body = Buffer.from(m.bodies, at, m.lengths[i]!);
      at += m.lengths[i]!;
      return { ...r, body, bodyText: r.bodyKind === 'binary' ? null : decodeUtf8(body) };
    });
    const stored = store.insertRows(records);
    mergeWhenIdle();
    const ids = new Float64Array(records.length * 2);
    for (let i = 0; i < records.length; i++) {
      ids[2 * i] = stored.ids[i]!;
      ids[2 * i + 1] = stored.duplicates[i] ?? -1;
    }
    port.postMessage({ type: 'inserted', seq: m.seq, ids } satisfies WriterReply, [ids.buffer]);
  } catch (err) {
    post({ type: 'failed', seq: m.seq, message: (err as Error).message });
  }
});

post({ type: 'ready' });
