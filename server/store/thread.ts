// Worker threads (the store's writer, reader and checkpointer beside this file; live
// forwarding's in sender/): each is an ordinary module, started by file. Built, that is dist/server/store/<name>.js, plain
// JavaScript with no loader. Run from the TypeScript sources (tests, `tsx`), the thread
// starts through tsx-thread.mjs, which registers tsx in it first.
// A thread that fails to start emits 'error', which startThread reports as its failure.
import { Worker } from 'node:worker_threads';

const fromSources = import.meta.url.endsWith('.ts');

/** Start the thread whose entry is `<name>.js` (built) or `<name>.ts` (sources) beside `base` (default: this file). */
export function startWorker(name: string, workerData: unknown, base: string = import.meta.url): Worker {
  if (!fromSources) return new Worker(new URL(`./${name}.js`, base), { workerData });
  const entry = new URL(`./${name}.ts`, base).href;
  return new Worker(new URL('./tsx-thread.mjs', import.meta.url), { workerData, argv: [entry] });
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
 * Start a thread (see startWorker) and wait for its { type: 'ready' } (rejects if it fails first).
 * Replies other than the lifecycle go to `onReply`; `onFailure` is called once, when the
 * thread fails, so its caller can reject whatever it still waits for.
 */
export async function startThread<Reply extends { type: string }>(
  name: string,
  workerData: unknown,
  onReply: (reply: Exclude<Reply, ThreadLifecycle>) => void,
  onFailure: (err: Error) => void,
  /** The folder of the thread's entry, as a module URL in it (default: store/). */
  base?: string,
): Promise<Thread> {
  const worker = startWorker(`${name}-thread`, workerData, base);
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
