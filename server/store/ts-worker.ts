// Worker threads that run this project's TypeScript: the thread registers tsx's loader
// itself (a programmatic register in the parent is not inherited), then imports its entry.
// A failure to start is reported as a { type: 'fatal' } message, like any other fatal error.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** URL of tsx's ESM register API, found through its package.json exports (ESM condition). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(manifest.exports['./esm/api']!.import.default, pathToFileURL(manifestPath)).href;
}

export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const bootstrap = `(async () => {
    const tsx = await import(${JSON.stringify(tsxEsmApi())});
    (tsx.register ?? tsx.default.register)();
    await import(${JSON.stringify(entry.href)});
  })().catch((err) => { require('node:worker_threads').parentPort.postMessage({ type: 'fatal', message: String(err && err.stack || err) }); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** What every thread says about itself, beside its own replies. */
export type ThreadLifecycle = { type: 'ready' } | { type: 'fatal'; message: string } | { type: 'closed' };

export interface Thread {
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  /** Why the thread stopped working (fatal error, crash, exit), or null while it works. */
  readonly failure: Error | null;
  /** Ask the thread to close ({ type: 'close' }) and wait for it; a failed one is terminated. */
  close(): Promise<void>;
}

/**
 * Start a TypeScript thread and wait for its { type: 'ready' } (rejects if it fails first).
 * Replies other than the lifecycle go to `onReply`; `onFailure` is called once, when the
 * thread fails, so its caller can reject whatever it still waits for.
 */
export async function startThread<Reply extends { type: string }>(
  name: string,
  entry: URL,
  workerData: unknown,
  onReply: (reply: Exclude<Reply, ThreadLifecycle>) => void,
  onFailure: (err: Error) => void,
): Promise<Thread> {
  const worker = startTsWorker(entry, workerData);
  let failure: Error | null = null;
  let closed: (() => void) | null = null;
  const fail = (err: Error) => {
    if (failure) return;
    failure = err;
    onFailure(err);
  };
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: Reply | ThreadLifecycle) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'fatal') {
        fail(new Error(`${name} thread: ${(m as { message: string }).message}`));
        reject(failure);
      } else if (m.type === 'closed') closed?.();
      else onReply(m as Exclude<Reply, ThreadLifecycle>);
    });
    worker.on('error', (err) => {
      fail(err);
      reject(err);
    });
    worker.on('exit', (code) => {
      fail(new Error(`${name} thread exited (${code})`));
      reject(failure);
      closed?.();
    });
  });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    get failure() {
      return failure;
    },
    async close() {
      if (failure) {
        await worker.terminate();
        return;
      }
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ type: 'close' });
      });
    },
  };
}
