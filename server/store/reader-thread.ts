// Body of the reader thread (see reader.ts): a read-only connection answering the queries
// that read many rows, one at a time, in the order asked.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.ts';
import { createDeliveryStore } from './deliveries.ts';
import type { ReaderReply, ReaderRequest } from './reader.ts';

const port = parentPort!;
const db = openDatabase((workerData as { file: string }).file, { readonly: true });
const store = createDeliveryStore(db, { maxDeliveries: Number.MAX_SAFE_INTEGER });

port.on('message', (m: ReaderRequest) => {
  if (m.type === 'close') {
    db.close();
    port.postMessage({ type: 'closed' } satisfies ReaderReply);
    port.close();
    return;
  }
  try {
    const value = m.type === 'histogram' ? store.histogram(m.query, m.buckets) : store.facets(m.query);
    port.postMessage({ type: 'result', seq: m.seq, value } satisfies ReaderReply);
  } catch (err) {
    port.postMessage({ type: 'failed', seq: m.seq, message: (err as Error).message } satisfies ReaderReply);
  }
});

port.postMessage({ type: 'ready' } satisfies ReaderReply);
