// Live forwarding: every accepted delivery, after its commit, is queued per target and sent
// on (stored bytes, Soveren's headers) without delaying the receiver's answer: the work
// starts on a later turn of the loop than the commit's answers, each target keeps its
// connections open, and tries are stored in batches by the writer thread. A webhook target
// gets one request per delivery; a SIEM target gets batches (forward-batch.ts), each delivery
// still with its own attempt per try. Bounded queue and concurrency per target; every try
// stored and streamed; per-target health as Soveren shows its own webhook ("failed" after 15
// minutes without a success).
import { setMaxListeners } from 'node:events';
import type { Attempt, DeliverySummary, ForwardingState, ForwardingUpdate, TransportFormat } from '../common/protocol.ts';
import { sanitizeForTerminal } from '../log.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { DEFAULT_RETRY_POLICY } from './deliver.ts';
import type { WriteAttempts } from './attempt-batch.ts';
import { createForwardAttempts } from './forward-attempts.ts';
import { BATCH_LIMITS, DEFAULT_BATCH_MS, storedOf, takeQueued, type QueuedDelivery } from './forward-batch.ts';
import { createForwardHealth } from './forward-health.ts';
import { createKeepAliveAgent, DEFAULT_TIMEOUT_MS } from './http.ts';
import { createReplayer, describeSent, type ReplaySigning } from './replay.ts';
import { closeConnections, createTargetState, ForwardingInputError, openRoutes, releaseIdle, stopLinger, type ForwardRoute, type OpenRoute, type TargetState } from './forward-targets.ts';
import { createForwardThread } from './forward-thread-client.ts';
import { isSameEndpoint, redactUrl } from './target-url.ts';
import type { SiemCredentials } from './transports/index.ts';
import { failedTry } from './transports/types.ts';

export { ForwardingInputError };

export interface ForwardConfig {
  targets: readonly string[];
  token: string | null;
  keepSignature: boolean;
  /** A target is failing after this long without a success (Soveren: 15 minutes). */
  failAfterMs: number;
  /** Requests in flight per target. */
  concurrency: number;
  retries: number;
  timeoutMs?: number;
  /** Deliveries waiting per target; more are dropped and counted (default 1000). */
  queueLimit?: number;
  retryBaseMs?: number;
  /** Payload for SIEM targets (hec+, elastic+, syslog+); undefined: each target's default. */
  format?: TransportFormat;
  /** Their tokens, keys and CA: held in memory only. */
  siem?: SiemCredentials;
  /** How long a SIEM target's first queued delivery waits for others to share its batch, ms (default 50). */
  batchMs?: number;
}

export const DEFAULT_FORWARD_CONFIG: ForwardConfig = { targets: [], token: null, keepSignature: false, failAfterMs: 15 * 60_000, concurrency: 2, retries: 0 };

export interface ForwarderDeps {
  deliveries: Pick<DeliveryStore, 'getRaw'>;
  attempts: Pick<AttemptStore, 'record'>;
  /** Store tries in batches through the writer thread; without it each is recorded at once on `attempts`. */
  writeAttempts?: WriteAttempts;
  publishAttempt: (deliveryId: number, attempt: Attempt) => void;
  ownReceiverUrl: () => string;
  /** The receiver's token (newest): targets added at run time are signed with it unless a signing was chosen. */
  receiverToken?: string | null;
  config?: ForwardConfig;
  log?: (line: string) => void;
  now?: () => number;
}

export type Forwarder = ReturnType<typeof createForwarder>;

export function createForwarder(deps: ForwarderDeps) {
  const config = { ...DEFAULT_FORWARD_CONFIG, ...deps.config };
  const now = deps.now ?? Date.now;
  // Error texts can carry a target's words (a redirect's Location): escaped before any terminal sees them.
  const log = (line: string) => deps.log?.(sanitizeForTerminal(line, 400));
  const queueLimit = config.queueLimit ?? 1000;
  const policy = { ...DEFAULT_RETRY_POLICY, retries: config.retries, ...(config.retryBaseMs !== undefined && { baseDelayMs: config.retryBaseMs }) };
  const controller = new AbortController();
  // One signal is shared by every request of a run (a burst passes hundreds).
  setMaxListeners(0, controller.signal);
  const inFlight = new Set<Promise<void>>();
  let enabled = true;
  let closed = false;
  let token = config.token;
  let keep = config.keepSignature && token === null;
  // Whether anyone chose how to sign (a flag or a PUT); until then new targets get the receiver's
  // token. Targets given at start (--forward-to) keep what the flags say, as the start-up line tells.
  let signingChosen = token !== null || keep || config.targets.length > 0;
  let tokenSource: ForwardingState['tokenSource'] = token !== null ? 'given' : null;
  let targets: TargetState[] = [];
  let format = config.format as TransportFormat | undefined;
  let siem: SiemCredentials = { ...config.siem };
  let batchMs = config.batchMs ?? DEFAULT_BATCH_MS;
  const attempts = createForwardAttempts({ ...deps, log });
  const replayer = createReplayer({
    ...deps, kind: 'forward', onAttempt: (id, attempt) => deps.publishAttempt(id, attempt),
    ...(attempts.queue && { queueAttempt: attempts.queue }),
  });

  // SIEM targets' transports, mapping and sending: on a thread of their own (forward-thread.ts).
  const thread = createForwardThread(log);
  const openRoute: OpenRoute = (url, f, c, render) => {
    const key = thread.open(url, f, c);
    return { key, render, close: () => thread.closeRoute(key) };
  };

  const signing = (): ReplaySigning => (keep ? { mode: 'keep' } : token !== null ? { mode: 'token', token } : { mode: 'none' });
  const health = createForwardHealth({ failAfterMs: config.failAfterMs, now, log });
  const settle = health.settle;

  function setTargets(urls: readonly string[], routes: Map<string, ForwardRoute | null>): void {
    const old = new Map(targets.map((t) => [t.url, t]));
    for (const t of targets) {
      if (t.route) t.retired.push(t.route);
      if (routes.has(t.url)) continue;
      // Removed: running tries just finish, then its connections close.
      t.queue.length = 0;
      t.removed = true;
      stopLinger(t);
      releaseIdle(t);
    }
    targets = urls.map((u) => {
      const t = old.get(u) ?? createTargetState(u);
      const route = routes.get(u) ?? null;
      t.route = route;
      t.agent ??= route === null ? createKeepAliveAgent(u) : null; // http(s): the webhook path
      releaseIdle(t);
      return t;
    });
  }

  /** A webhook target: one Soveren request per delivery, signed as set. */
  async function forwardOne(t: TargetState, { id, stored }: QueuedDelivery): Promise<void> {
    const outcome = await replayer.replay(id, {
      url: t.url, signing: signing(), siem: null, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, policy, signal: controller.signal,
      ...(t.agent && { agent: t.agent }), ...(stored && { stored }),
    });
    if (!outcome.found || closed) return;
    settle(t, outcome.results);
  }

  /**
   * A SIEM target: the next batch off its queue, rendered and sent on the forwarding thread
   * in one try, each delivery with its own attempt. The next batch waits until this one is
   * rendered (what did not fit goes back to the head of the queue first).
   */
  async function forwardBatch(t: TargetState, route: ForwardRoute): Promise<void> {
    const items = takeQueued(t.queue, deps.deliveries, BATCH_LIMITS[route.render.kind]); // the thread closes the batch at the same limits
    if (items.length === 0) return;
    t.collecting = true;
    const shown = redactUrl(t.url);
    const sent = describeSent({ signing: signing(), siem: route });
    const batch = thread.send(route.key, items, {
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, policy, onResult: (id, r) => attempts.record(id, shown, sent, r),
    });
    const taken = await batch.taken.finally(() => {
      t.collecting = false;
    });
    if (taken.leftover.length > 0 && !closed && !t.removed) {
      const back = new Set(taken.leftover);
      t.queue.unshift(...items.filter((i) => back.has(i.id)).map((i) => ({ id: i.id, stored: i.raw, queuedAt: i.queuedAt })));
    }
    if (closed) return;
    pump(t); // another batch may start while this one is in flight
    for (const u of taken.unrenderable) {
      const result = failedTry(u.reason);
      attempts.record(u.id, shown, sent, result);
      settle(t, [result]);
    }
    const results = await batch.done;
    if (closed) return;
    for (const id of taken.sent) settle(t, results.get(id) ?? []);
  }

  /** Whether a SIEM target's next batch goes now: full, or its first delivery has waited out the linger (else a timer is set). */
  function batchDue(t: TargetState, route: ForwardRoute): boolean {
    if (t.collecting) return false;
    const wait = t.queue.length >= BATCH_LIMITS[route.render.kind].maxCount ? 0 : t.queue[0]!.queuedAt + batchMs - Date.now();
    if (wait <= 0) {
      stopLinger(t);
      return true;
    }
    t.lingerTimer ??= setTimeout(() => {
      t.lingerTimer = null;
      pump(t);
    }, wait);
    return false;
  }

  function pump(t: TargetState): void {
    while (!closed && t.inFlight < config.concurrency && t.queue.length > 0) {
      const route = t.route;
      if (route && !batchDue(t, route)) return;
      t.inFlight++;
      const p: Promise<void> = (route ? forwardBatch(t, route) : forwardOne(t, t.queue.shift()!))
        .catch((err: Error) => log(`forward to ${redactUrl(t.url)}: ${err.message}`))
        .finally(() => {
          t.inFlight--;
          inFlight.delete(p);
          pump(t);
          releaseIdle(t);
        });
      inFlight.add(p);
    }
  }

  let pumpScheduled = false;
  /**
   * Start tries on the next turn of the loop: enqueue runs in the commit's callback, before
   * the answers of that group are written, and a try's first steps (reading the row,
   * mapping, opening the request) are synchronous work that must not go ahead of them.
   */
  function schedulePump(): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      for (const t of targets) pump(t);
    });
  }

  /**
   * After a commit: queue every accepted delivery for every target. Never blocks. With the
   * committed records (the receiver's), a try uses their bytes instead of reading the row
   * back; bodies over STORED_IN_QUEUE_MAX are read back, so a full queue holds little memory.
   */
  function enqueue(committed: readonly DeliverySummary[], records?: readonly NewDelivery[]): void {
    if (!enabled || closed || targets.length === 0) return;
    const own = deps.ownReceiverUrl();
    const queuedAt = Date.now();
    for (const t of targets) {
      // Two URL parses per target and commit otherwise; the receiver's URL rarely changes.
      if (t.ownCheck?.own !== own) t.ownCheck = { own, same: isSameEndpoint(t.url, own) };
      if (t.ownCheck.same) {
        if (!t.loopWarned) log(`forward to ${redactUrl(t.url)} skipped: it is this inspector's own receiver (it would loop)`);
        t.loopWarned = true;
        continue;
      }
      committed.forEach((d, i) => {
        if (d.status >= 300 || d.refused !== null) return;
        if (t.queue.length >= queueLimit) t.dropped++;
        else t.queue.push({ id: d.id, stored: storedOf(records?.[i]), queuedAt });
      });
    }
    schedulePump();
  }

  /**
   * "Retry failed": queue these deliveries again for the target shown as `shownUrl` (even
   * when forwarding is off: the user asked). Returns how many were queued (a full queue
   * takes fewer), 0 for no such target. Their bytes are read back when their turn comes.
   */
  function retry(shownUrl: string, ids: readonly number[]): number {
    const t = targets.find((x) => redactUrl(x.url) === shownUrl);
    if (!t || closed) return 0;
    let queued = 0;
    for (const id of ids) {
      if (t.queue.length >= queueLimit) break;
      if (t.queue.some((q) => q.id === id)) continue;
      t.queue.push({ id, stored: null, queuedAt: Date.now() });
      queued++;
    }
    pump(t);
    return queued;
  }

  function state(): ForwardingState {
    return {
      enabled, signing: keep ? 'keep' : token !== null ? 'token' : 'none', tokenSource: keep ? null : tokenSource, failAfterMs: config.failAfterMs,
      concurrency: config.concurrency, retries: config.retries, format: format ?? null, batchMs,
      // Whether a secret is set, never the secret.
      siem: { hecTokenSet: Boolean(siem.hecToken), hecAck: siem.hecAck ?? false, elasticApiKeySet: Boolean(siem.elasticApiKey) },
      targets: targets.map(health.describe),
    };
  }

  /** Apply a validated change at run time (validation first: a bad update changes nothing). */
  function update(patch: ForwardingUpdate): ForwardingState {
    if (patch.token !== undefined && patch.token !== null && patch.keepSignature === true) {
      throw new ForwardingInputError('give either token or keepSignature, not both');
    }
    let urls = targets.map((t) => t.url);
    if (patch.targets !== undefined) {
      // state() shows URLs without user:password; a client sending those shown URLs back
      // (to remove another target, say) keeps the configured credentials.
      const configured = new Map(targets.map((t) => [redactUrl(t.url), t.url]));
      urls = patch.targets.map((u) => configured.get(u) ?? u);
      const own = deps.ownReceiverUrl();
      const loop = urls.find((u) => isSameEndpoint(u, own));
      if (loop !== undefined) throw new ForwardingInputError(`forward target ${redactUrl(loop)} is this inspector's own receiver: forwarding there would loop forever`);
    }
    // A secret left out keeps the one held; null clears it.
    const nextFormat = patch.format === undefined ? format : patch.format ?? undefined;
    const nextSiem: SiemCredentials = {
      ...siem,
      ...(patch.hecToken !== undefined && { hecToken: patch.hecToken }),
      ...(patch.hecAck !== undefined && { hecAck: patch.hecAck }),
      ...(patch.elasticApiKey !== undefined && { elasticApiKey: patch.elasticApiKey }),
    };
    const routes = openRoutes(urls, nextFormat, nextSiem, openRoute);
    format = nextFormat;
    siem = nextSiem;
    if (patch.batchMs !== undefined && patch.batchMs !== null) batchMs = patch.batchMs;
    setTargets(urls, routes);
    if (patch.token !== undefined) {
      token = patch.token;
      if (token !== null) keep = false;
      tokenSource = token !== null ? 'given' : null;
      signingChosen = true;
    }
    if (patch.keepSignature !== undefined) {
      keep = patch.keepSignature;
      signingChosen = true;
      if (keep) {
        token = null;
        tokenSource = null;
      }
    }
    // A target added with no signing ever chosen is signed the way the receiver verifies:
    // with its own token, so forwarding to a connector sharing that token works at once.
    if (!signingChosen && patch.targets !== undefined && deps.receiverToken && token === null && !keep) {
      token = deps.receiverToken;
      tokenSource = 'receiver';
    }
    if (patch.enabled !== undefined) {
      enabled = patch.enabled;
      if (!enabled) for (const t of targets) t.queue.length = 0;
    }
    return state();
  }

  /** Stop: nothing new starts, running tries are aborted; resolves when they have ended. */
  async function close(): Promise<void> {
    closed = true;
    for (const t of targets) {
      t.queue.length = 0;
      stopLinger(t);
    }
    controller.abort();
    thread.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer); // a pending timer would hold the process open after shutdown
    // Every try made so far is stored before the caller closes the database.
    await attempts.flush();
    // Tries still hanging after the wait above are given up with their connections.
    for (const t of targets) closeConnections(t);
    await thread.close();
  }

  setTargets(config.targets, openRoutes(config.targets, format, siem, openRoute));
  return {
    enqueue, state, update, retry, close,
    /** Attempts being committed: rows past the adoption cursor may be ours meanwhile. */
    get attemptsCommitting(): number {
      return attempts.committing;
    },
  };
}
