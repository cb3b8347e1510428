// Body of live forwarding's thread (see forward-thread-client.ts): SIEM targets' transports
// live here, and each batch is mapped, serialised and sent here, so none of that work (most
// of what forwarding cost the event loop: the mapping, JSON.stringify, the socket writes and
// the garbage they leave) runs on the event loop that answers Soveren. The thread runs at a lower
// CPU priority than the receiver where the OS allows one thread's (Linux): when the cores are
// busy, the receiver's answers go first and forwarding waits a little.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { BATCH_LIMITS, sendBatch, takeBatch, type QueuedDelivery } from './forward-batch.ts';
import { openSiemRoute, type SiemRoute } from './transports/index.ts';
import { parseTarget } from './transports/target.ts';
import { FORWARD_THREAD_NICE, type ForwardThreadReply, type ForwardThreadRequest, type PackedDeliveries } from './forward-thread-wire.ts';

function lowerPriority(): void {
  try {
    // Linux keeps a nice value per thread (setpriority(2), NOTES); /proc/thread-self names this one.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, FORWARD_THREAD_NICE);
  } catch {
    // Not Linux, or not allowed: the thread runs at the process's priority.
  }
}

/** Longest wait for connections to end gracefully once the thread is closed. */
const LINGER_MS = 2000;

const port = parentPort!;
const post = (m: ForwardThreadReply) => port.postMessage(m);
const routes = new Map<number, SiemRoute>();
const controller = new AbortController();

/** The packed deliveries as a queue takeBatch reads (their bytes only: nothing is read back here). */
function unpack(p: PackedDeliveries): QueuedDelivery[] {
  const all = Buffer.from(p.bodies);
  let at = 0;
  return p.ids.map((id, i) => {
    const body = all.subarray(at, at + p.lengths[i]!);
    at += p.lengths[i]!;
    return { id, stored: { body, headers: [], receivedAt: p.receivedAt[i]!, bodySha256: p.bodySha256[i]! }, queuedAt: 0 };
  });
}

async function runBatch(m: Extract<ForwardThreadRequest, { type: 'batch' }>): Promise<void> {
  const route = routes.get(m.route);
  if (!route) {
    // Each delivery fails with the reason (the main thread gives those with no outcome the error).
    post({ type: 'taken', batch: m.batch, sent: m.deliveries.ids, unrenderable: [], leftover: [] });
    post({ type: 'done', batch: m.batch, error: `route ${m.route} is not open` });
    return;
  }
  const queue = unpack(m.deliveries);
  const taken = await takeBatch(queue, route, { getRaw: () => undefined }, BATCH_LIMITS[route.render.kind]);
  post({
    type: 'taken', batch: m.batch, sent: taken.entries.map((e) => e.id),
    unrenderable: taken.unrenderable.map((u) => ({ id: u.id, reason: u.result.error ?? 'not rendered' })), leftover: queue.map((q) => q.id),
  });
  if (taken.entries.length > 0) {
    await sendBatch(route, taken.entries, {
      timeoutMs: m.timeoutMs, policy: m.policy, signal: controller.signal, onTry: (ids, result) => post({ type: 'try', batch: m.batch, ids: [...ids], result }),
    });
  }
  post({ type: 'done', batch: m.batch });
}

port.on('message', (m: ForwardThreadRequest) => {
  switch (m.type) {
    case 'open': {
      const target = parseTarget(m.url);
      // Checked on the main thread already (planSiemRoute); a target that fails here fails its batches.
      try {
        const route = 'error' in target ? null : openSiemRoute(target, m.format, m.credentials);
        if (route) routes.set(m.route, route);
      } catch {
        routes.delete(m.route);
      }
      return;
    }
    case 'close-route':
      routes.get(m.route)?.transport.close();
      routes.delete(m.route);
      return;
    case 'batch':
      runBatch(m).catch((err: Error) => post({ type: 'done', batch: m.batch, error: err.message }));
      return;
    case 'abort':
      controller.abort();
      return;
    case 'close':
      controller.abort();
      for (const r of routes.values()) r.transport.close();
      routes.clear();
      port.postMessage({ type: 'closed' });
      port.close();
      // A syslog connection ends gracefully (what was written still arrives); one whose
      // collector stopped reading would hold this thread forever: it ends after LINGER_MS.
      setTimeout(() => process.exit(0), LINGER_MS).unref();
      return;
  }
});

lowerPriority();
port.postMessage({ type: 'ready' });
