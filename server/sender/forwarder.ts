// Live forwarding: every accepted delivery, after its commit, is queued per target and sent
// on (stored bytes, Soveren's headers) without delaying the receiver's answer: the work
// starts on a later turn of the loop than the commit's answers, each target keeps its
// connections open, and tries are stored in batches by the writer thread. Bounded queue
// and concurrency per target; every try stored and streamed; per-target health as Soveren
// shows its own webhook ("failed" after 15 minutes without a success).
import { setMaxListeners } from 'node:events';
import type { Attempt, DeliverySummary, ForwardingState, ForwardingUpdate, TransportFormat } from '../common/protocol.ts';
import { sanitizeForTerminal } from '../log.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { DEFAULT_RETRY_POLICY } from './deliver.ts';
import { createAttemptBatch, type WriteAttempts } from './attempt-batch.ts';
import { createKeepAliveAgent, DEFAULT_TIMEOUT_MS, type OutboundResult } from './http.ts';
import { createReplayer, type ReplaySigning, type StoredRaw } from './replay.ts';
import {
  closeConnections, createTargetState, describeDuration, ForwardingInputError, iso, openRoutes, releaseIdle, type QueuedDelivery, type TargetState,
} from './forward-targets.ts';
import { isSameEndpoint, redactUrl } from './target-url.ts';
import type { SiemCredentials, SiemRoute } from './transports/index.ts';
import { DEFAULT_FORMATS } from './transports/target.ts';

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

/** Bodies up to this size wait in a target's queue as received; larger ones are read back when their turn comes. */
const STORED_IN_QUEUE_MAX = 64 * 1024;

function storedOf(r: NewDelivery | undefined): StoredRaw | null {
  if (!r || r.body.length > STORED_IN_QUEUE_MAX) return null;
  return { body: r.body, headers: r.headers, receivedAt: new Date(r.receivedAt).toISOString(), bodySha256: r.bodySha256 };
}

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
  const batch = deps.writeAttempts
    ? createAttemptBatch({
      write: deps.writeAttempts, onRecorded: (id, attempt) => deps.publishAttempt(id, attempt),
      onError: (err) => log(`forward attempts not recorded: ${err.message}`),
    })
    : null;
  const replayer = createReplayer({
    ...deps, kind: 'forward', onAttempt: (id, attempt) => deps.publishAttempt(id, attempt),
    ...(batch && { queueAttempt: batch.add }),
  });

  const signing = (): ReplaySigning => (keep ? { mode: 'keep' } : token !== null ? { mode: 'token', token } : { mode: 'none' });
  const isFailing = (t: TargetState) => t.failingSince !== null && now() - t.failingSince >= config.failAfterMs;

  function setTargets(urls: readonly string[], routes: Map<string, SiemRoute | null>): void {
    const old = new Map(targets.map((t) => [t.url, t]));
    for (const t of targets) {
      if (t.route) t.retired.push(t.route);
      if (routes.has(t.url)) continue;
      // Removed: running tries just finish, then its connections close.
      t.queue.length = 0;
      t.removed = true;
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

  /** One delivery's outcome (its last try), counted once however many tries it took. */
  function observe(t: TargetState, results: readonly OutboundResult[]): void {
    const shown = redactUrl(t.url);
    const r = results[results.length - 1]!;
    t.retries += results.length - 1;
    if (r.ok) {
      if (t.consecutiveFailures > 0) log(`forward to ${shown}: delivering again after ${t.consecutiveFailures} failed deliveries`);
      Object.assign(t, { lastSuccessAt: r.startedAt + r.durationMs, consecutiveFailures: 0, failingSince: null, announcedFailing: false, lastStatus: r.status });
      return;
    }
    Object.assign(t, { lastFailureAt: r.startedAt + r.durationMs, lastError: r.error, lastStatus: r.status });
    t.consecutiveFailures++;
    t.failingSince ??= results[0]!.startedAt;
    if (t.consecutiveFailures === 1) log(`forward to ${shown} failed: ${r.error ?? r.status}`);
    if (isFailing(t) && !t.announcedFailing) {
      t.announcedFailing = true;
      log(`forward to ${shown} FAILED: no success for ${describeDuration(config.failAfterMs)} (${t.consecutiveFailures} deliveries failed in a row)`);
    }
  }

  async function forwardOne(t: TargetState, { id, stored }: QueuedDelivery): Promise<void> {
    const outcome = await replayer.replay(id, {
      url: t.url, signing: signing(), siem: t.route, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, policy, signal: controller.signal,
      ...(t.agent && { agent: t.agent }), ...(stored && { stored }),
    });
    if (!outcome.found || closed || outcome.results.length === 0) return;
    observe(t, outcome.results);
    if (outcome.ok) t.forwarded++;
    else t.failed++;
  }

  function pump(t: TargetState): void {
    while (!closed && t.inFlight < config.concurrency && t.queue.length > 0) {
      const next = t.queue.shift()!;
      t.inFlight++;
      const p: Promise<void> = forwardOne(t, next)
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
    for (const t of targets) {
      if (isSameEndpoint(t.url, own)) {
        if (!t.loopWarned) log(`forward to ${redactUrl(t.url)} skipped: it is this inspector's own receiver (it would loop)`);
        t.loopWarned = true;
        continue;
      }
      committed.forEach((d, i) => {
        if (d.status >= 300 || d.refused !== null) return;
        if (t.queue.length >= queueLimit) t.dropped++;
        else t.queue.push({ id: d.id, stored: storedOf(records?.[i]) });
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
      t.queue.push({ id, stored: null });
      queued++;
    }
    pump(t);
    return queued;
  }

  function state(): ForwardingState {
    return {
      enabled, signing: keep ? 'keep' : token !== null ? 'token' : 'none', tokenSource: keep ? null : tokenSource, failAfterMs: config.failAfterMs,
      concurrency: config.concurrency, retries: config.retries, format: format ?? null,
      // Whether a secret is set, never the secret.
      siem: { hecTokenSet: Boolean(siem.hecToken), hecAck: siem.hecAck ?? false, elasticApiKeySet: Boolean(siem.elasticApiKey) },
      targets: targets.map((t) => ({
        url: redactUrl(t.url), format: (t.route?.render.format ?? DEFAULT_FORMATS.http) as TransportFormat, lastSuccessAt: iso(t.lastSuccessAt), lastFailureAt: iso(t.lastFailureAt), lastError: t.lastError,
        lastStatus: t.lastStatus, consecutiveFailures: t.consecutiveFailures, failingSince: iso(t.failingSince), failing: isFailing(t), queued: t.queue.length,
        inFlight: t.inFlight, forwarded: t.forwarded, failed: t.failed, retries: t.retries, dropped: t.dropped,
      })),
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
    const routes = openRoutes(urls, nextFormat, nextSiem);
    format = nextFormat;
    siem = nextSiem;
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
    for (const t of targets) t.queue.length = 0;
    controller.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer); // a pending timer would hold the process open after shutdown
    // Every try made so far is stored before the caller closes the database.
    await batch?.flush();
    // Tries still hanging after the wait above are given up with their connections.
    for (const t of targets) closeConnections(t);
  }

  setTargets(config.targets, openRoutes(config.targets, format, siem));
  return {
    enqueue, state, update, retry, close,
    /** Attempts waiting for their commit: rows past the adoption cursor may be ours meanwhile. */
    get attemptsPending(): number {
      return batch?.pending ?? 0;
    },
  };
}
