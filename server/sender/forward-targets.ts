// Live forwarding's targets: what the forwarder holds per target (queue, health counters,
// its transport or kept-alive connections, its batch's linger) and when those connections
// are opened and closed. A route replaced by a settings change, or a removed target's,
// closes once the tries still using it have ended; shutdown closes everything.
import type { Agent } from 'node:http';
import type { ForwardTargetHealth, TransportFormat } from '../common/protocol.ts';
import type { QueuedDelivery } from './forward-batch.ts';
import { redactUrl } from './target-url.ts';
import { planSiemRoute, RouteError, type SiemCredentials } from './transports/index.ts';
import type { RenderOptions } from './transports/render.ts';
import { parseTarget } from './transports/target.ts';

/** Bad PUT /api/forwarding input; the message is safe to show (never contains a token). */
export class ForwardingInputError extends Error {}

/** A SIEM target's route: what it renders, and its transport, which lives on the forwarding thread under `key`. */
export interface ForwardRoute {
  key: number;
  render: RenderOptions;
  /** Close its transport's connections. */
  close(): void;
}

/** Opens a checked route's transport (on the forwarding thread). */
export type OpenRoute = (url: string, format: TransportFormat | undefined, credentials: SiemCredentials, render: RenderOptions) => ForwardRoute;

export interface TargetState extends Omit<ForwardTargetHealth, 'url' | 'failing' | 'queued' | 'lastSuccessAt' | 'lastFailureAt' | 'format' | 'failingSince'> {
  url: string;
  /** The SIEM transport and payload; null for an http(s) webhook target. */
  route: ForwardRoute | null;
  /** Kept-alive connections of an http(s) webhook target. */
  agent: Agent | null;
  /** Routes replaced by a settings change, closed once the tries using them have ended. */
  retired: ForwardRoute[];
  /** No longer a target: its connections close once its running tries have ended. */
  removed: boolean;
  queue: QueuedDelivery[];
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  /** First failure since the last success. */
  failingSince: number | null;
  announcedFailing: boolean;
  loopWarned: boolean;
  /** A SIEM target's batch waiting for company (forward-batch.ts: the linger). */
  lingerTimer: NodeJS.Timeout | null;
  /** A batch is being taken off the queue (rendered in slices): the next one waits for it. */
  collecting: boolean;
  /** Whether the target is this inspector's own receiver (`own`: the receiver URL it was checked against). */
  ownCheck: { own: string; same: boolean } | null;
}

export function createTargetState(url: string): TargetState {
  return {
    url, route: null, agent: null, retired: [], removed: false, queue: [], inFlight: 0, lastSuccessAt: null, lastFailureAt: null, lastError: null, lastStatus: null,
    consecutiveFailures: 0, failingSince: null, forwarded: 0, failed: 0, retries: 0, dropped: 0, announcedFailing: false, loopWarned: false, lingerTimer: null, collecting: false, ownCheck: null,
  };
}

/** Each target's route under these settings; a problem throws, naming the target, before anything is opened. */
export function openRoutes(urls: readonly string[], f: TransportFormat | undefined, c: SiemCredentials, open: OpenRoute): Map<string, ForwardRoute | null> {
  const plans = new Map<string, RenderOptions | null>();
  for (const url of urls) {
    const shown = redactUrl(url).slice(0, 200);
    const target = parseTarget(url);
    if ('error' in target) throw new ForwardingInputError(`forward target ${shown}: ${target.error}`);
    if (plans.has(url)) throw new ForwardingInputError(`forward target ${shown} is listed twice`);
    try {
      plans.set(url, planSiemRoute(target, target.kind === 'http' ? undefined : f, c));
    } catch (err) {
      if (err instanceof RouteError) throw new ForwardingInputError(`forward target ${shown}: ${err.message}`);
      throw err;
    }
  }
  return new Map([...plans].map(([url, render]) => [url, render === null ? null : open(url, f, c, render)]));
}

/** Close what no running try uses any more: replaced routes, and everything of a removed target. */
export function releaseIdle(t: TargetState): void {
  if (t.inFlight > 0) return;
  if (t.removed) return closeConnections(t);
  for (const r of t.retired.splice(0)) if (r !== t.route) r.close();
}

/** Close every connection the target holds, in use or not (removed, or shutting down). */
export function closeConnections(t: TargetState): void {
  stopLinger(t);
  for (const r of t.retired.splice(0)) r.close();
  t.route?.close();
  t.agent?.destroy();
  t.agent = null;
}

export function stopLinger(t: TargetState): void {
  if (t.lingerTimer) clearTimeout(t.lingerTimer);
  t.lingerTimer = null;
}
