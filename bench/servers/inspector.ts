// The real inspector (same composition as `serve`) in its own process for the benchmarks.
// Prints {"receiverUrl","uiUrl","sinkUrl","db"} when listening; answers IPC requests for memory and
// store figures; closes cleanly on SIGTERM. Args: <db file> [maxDeliveries] [token] [store].
// store `none` (an experiment, see bench/ingest.ts): the same receive pipeline, group commit
// and stream, with a writer that stores nothing and answers on the next turn of the loop.
import { startInspector } from '../../server/inspector.ts';
import { createIngest } from '../../server/receiver/ingest.ts';
import { summaryOf } from '../../server/store/deliveries.ts';
import { testConfig } from '../../test/helpers/inspector.ts';
import { serveIpc } from '../lib/child.ts';

const [db, maxArg, token, store] = process.argv.slice(2);
if (!db) throw new Error('usage: inspector.ts <db file> [maxDeliveries] [token]');

const inspector = await startInspector(testConfig(db, {
  maxDeliveries: maxArg ? Number(maxArg) : 100_000, // serve's default
  tokens: token ? [token] : [],
}));

if (store === 'none') {
  let next = inspector.deliveries.stats().lastId;
  const nothing = createIngest({
    insertBatch: (records) => new Promise((resolve) => setImmediate(() => resolve(records.map((r) => summaryOf(r, ++next, null))))),
  }, (batch) => inspector.hub.publish(batch));
  inspector.ingest.submit = nothing.submit.bind(nothing);
  Object.defineProperty(inspector.ingest, 'commits', { get: () => nothing.commits });
}

// Time each delivery waits for its group commit (submit -> committed), server side: with
// the client-side latency it tells the pipeline's own tail from scheduling on a busy machine.
let waits: number[] = [];
const submit = inspector.ingest.submit.bind(inspector.ingest);
inspector.ingest.submit = (record) => {
  const t = performance.now();
  return submit(record).then((s) => {
    waits.push(performance.now() - t);
    return s;
  });
};

serveIpc({
  commitWaits: () => {
    const sorted = waits.sort((a, b) => a - b);
    waits = [];
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
    return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
  },
  memory: () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage();
  },
  stats: () => ({ ...inspector.deliveries.stats(), subscribers: inspector.hub.size, commits: inspector.ingest.commits }),
  cpu: () => process.cpuUsage(),
});

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void inspector.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

console.log(JSON.stringify({ receiverUrl: inspector.receiverUrl, uiUrl: inspector.uiUrl, sinkUrl: inspector.sinkUrl, db }));
