// Sender routes of the UI listener (declared in common/contract/routes.ts): replay one delivery, optionally
// with an edited body; bulk replay jobs with progress on the stream; test events (a job
// too, answered when it ends); live forwarding settings. Tokens in request bodies sign
// requests and are then dropped: never echoed, logged or stored. A failing target is an
// answer (ok: false), never a 500.
import type { Attempt, ForwardingUpdate, JobStatus, SendResponse, SendResult } from '../common/protocol.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import { failedQuery, parseQuery } from '../common/query.ts';
import { queryProblem } from '../common/query-values.ts';
import { DEFAULT_RETRY_POLICY } from '../sender/deliver.ts';
import { ForwardingInputError, type Forwarder } from '../sender/forwarder.ts';
import { DEFAULT_TIMEOUT_MS } from '../sender/http.ts';
import type { Jobs } from '../sender/jobs.ts';
import { runPool } from '../sender/pool.ts';
import { createReplayer, signingFrom } from '../sender/replay.ts';
import { resolveEventTypes, sendEvents, SendInputError, summarizeSend } from '../sender/send-events.ts';
import { tamperNeedsToken } from '../sender/soveren-request.ts';
import { describeBadTarget, isSameEndpoint, redactUrl } from '../sender/target-url.ts';
import { openSiemRoute, RouteError, type SiemRoute } from '../sender/transports/index.ts';
import { parseTarget } from '../sender/transports/target.ts';
import type { PayloadFormat } from '../siem/index.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import type { Hub } from '../stream/hub.ts';
import { ApiError, createContractApp } from './errors.ts';

export interface SenderRoutesDeps {
  deliveries: DeliveryStore;
  attempts: AttemptStore;
  hub: Pick<Hub, 'publishAttempt' | 'publishJob'>;
  receiverUrl: () => string;
  /** The receiver's tokens: test events sent to the own receiver are signed with the first. */
  receiverTokens: readonly string[];
  forwarder: Forwarder;
  jobs: Jobs;
  /** Largest edited body accepted for "replay with changes". */
  maxBody: number;
}

const MAX_SEND = 1000;
/** A forward target's queue holds this many by default: a retry queues no more. */
const MAX_FORWARD_RETRY = 1000;

/** A sender input problem (thrown where the rule lives) as a 400 naming the field. */
function asBadField<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ForwardingInputError) throw ApiError.badField(field, err.message);
    if (err instanceof SendInputError) throw ApiError.badField(err.field, err.message);
    throw err;
  }
}

/** An http(s) target URL checked as the sender will use it, or a 400 naming the field. */
function checkTarget(field: string, url: string): string {
  const problem = describeBadTarget(url);
  if (problem) throw ApiError.badField(field, problem);
  return url;
}

/** A replay or forwarding target: http(s) webhook or a SIEM scheme (hec+, elastic+, syslog+). */
function checkDeliveryTarget(field: string, url: string): string {
  const t = parseTarget(url);
  if ('error' in t) throw ApiError.badField(field, t.error);
  return url;
}

type SiemFields = { format?: PayloadFormat | null | undefined; hecToken?: string | null | undefined; hecAck?: boolean | null | undefined; elasticApiKey?: string | null | undefined };

/** The SIEM route of a replay target (null for http(s)); its secrets serve this request or job only. */
function siemRouteOf(target: string, b: SiemFields): SiemRoute | null {
  const t = parseTarget(target);
  if ('error' in t) throw ApiError.badField('target', t.error);
  try {
    return openSiemRoute(t, b.format ?? undefined, { hecToken: b.hecToken || null, elasticApiKey: b.elasticApiKey || null, hecAck: b.hecAck ?? false });
  } catch (err) {
    if (err instanceof RouteError) throw ApiError.badField(err.field, err.message);
    throw err;
  }
}

export function createSenderRoutes(deps: SenderRoutesDeps) {
  const replayer = createReplayer({ deliveries: deps.deliveries, attempts: deps.attempts, kind: 'replay', onAttempt: (id, a) => deps.hub.publishAttempt(id, a) });
  const noJob = () => new ApiError(404, 'no such job');

  return createContractApp()
    .openapi(API_ROUTES.replayOne, async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const target = checkDeliveryTarget('target', b.target);
      const siem = siemRouteOf(target, b);
      const edited = b.body ?? undefined;
      if (edited !== undefined && Buffer.byteLength(edited) > deps.maxBody) throw ApiError.badField('body', `is over ${deps.maxBody} bytes (--max-body)`);
      const outcome = await replayer.replay(id, {
        url: target, signing: signingFrom(b), siem, timeoutMs: b.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        policy: { ...DEFAULT_RETRY_POLICY, retries: b.retries ?? 0 },
        ...(edited !== undefined && { body: Buffer.from(edited, 'utf8') }),
      }).finally(() => siem?.transport.close());
      const last: Attempt | undefined = outcome.attempts[outcome.attempts.length - 1];
      if (!outcome.found || !last) throw new ApiError(404, `delivery ${id} not found`);
      return c.json(last, 200);
    })
    .openapi(API_ROUTES.replayMatching, (c) => {
      const b = c.req.valid('json');
      const target = checkDeliveryTarget('target', b.target);
      const siem = siemRouteOf(target, b);
      const signing = signingFrom(b);
      const limit = b.limit ?? 1000;
      const policy = { ...DEFAULT_RETRY_POLICY, retries: b.retries ?? 0 };
      let ids: number[] = [];
      if (b.retryFailedOf != null) {
        // "Retry failed": exactly the deliveries that failed in that job, nothing the filter has gained since.
        const failed = deps.jobs.failedOf(b.retryFailedOf);
        if (failed === undefined) throw new ApiError(404, `no such job: ${b.retryFailedOf.slice(0, 64)} (finished jobs are kept for a while only)`);
        ids = failed.slice(0, b.limit ?? failed.length);
      } else {
        const query = parseQuery(b.q ?? '');
        const problem = queryProblem(query);
        if (problem) throw ApiError.badField('q', problem);
        for (let cursor = 0; ids.length < limit;) {
          const page = deps.deliveries.listAfter(query, cursor, Math.min(500, limit - ids.length));
          if (page.length === 0) break;
          for (const d of page) ids.push(d.id);
          cursor = page[page.length - 1]!.id;
        }
      }
      const job: JobStatus = deps.jobs.start('replay', ids.length, redactUrl(target), async (ctl) => {
        await runPool(ids.length, async (i) => {
          const outcome = await replayer.replay(ids[i]!, { url: target, signing, siem, timeoutMs: DEFAULT_TIMEOUT_MS, policy, signal: ctl.signal });
          ctl.progress(outcome.ok, ids[i]!);
        }, { concurrency: b.concurrency ?? 1, ratePerSec: b.rate ?? null, signal: ctl.signal }).finally(() => siem?.transport.close());
      });
      return c.json(job, 202);
    })
    .openapi(API_ROUTES.listJobs, (c) => c.json({ items: deps.jobs.list() }, 200))
    .openapi(API_ROUTES.getJob, (c) => {
      const job = deps.jobs.get(c.req.valid('param').id);
      if (!job) throw noJob();
      return c.json(job, 200);
    })
    .openapi(API_ROUTES.stopJob, async (c) => {
      const job = await deps.jobs.stop(c.req.valid('param').id);
      if (!job) throw noJob();
      return c.json(job, 200);
    })
    .openapi(API_ROUTES.send, async (c) => {
      const input = c.req.valid('json');
      const count = input.count ?? 1;
      const { types, unknown } = asBadField('types', () => resolveEventTypes({
        types: input.types ?? [], all: input.all ?? false, ...(input.category != null && { category: input.category }),
      }));
      if (types.length * count > MAX_SEND) throw ApiError.badField('count', `${types.length} types × count ${count} is over ${MAX_SEND} requests; use the CLI for more`);
      const to = input.to ? checkTarget('to', input.to) : deps.receiverUrl();
      const own = isSameEndpoint(to, deps.receiverUrl());
      const token = input.token || (own ? deps.receiverTokens[0] ?? null : null);
      const tamper = input.tamper ?? null;
      if (tamper !== null && tamperNeedsToken(tamper) && token === null) {
        throw ApiError.badField('tamper', `${tamper} needs a token${own ? ' (the receiver has none configured)' : ''}`);
      }
      const seed = input.seed ?? Math.floor(Math.random() * 2 ** 32);
      const shown = redactUrl(to);
      // Run as a job so the UI sees progress and can stop it; the answer still comes at the
      // end, over whatever was sent (a stopped send is a 200 with fewer results).
      let results: SendResult[] = [];
      let failure = null as { error: unknown } | null;
      const started = deps.jobs.start('send', types.length * count, shown, async (ctl) => {
        try {
          results = await sendEvents({
            to, token, types, count, seed, categoryForm: input.categoryForm ?? 'display', tamper,
            concurrency: input.concurrency ?? 4, ratePerSec: null, timeoutMs: DEFAULT_TIMEOUT_MS, signal: ctl.signal,
            onResult(r, out) {
              ctl.progress(r.ok);
              // Sent to our own receiver: the stored delivery gets a record of how it was made.
              if (!own || r.deliveryId === null) return;
              const attempt = deps.attempts.record({
                deliveryId: r.deliveryId, kind: 'send', target: shown, status: out.status, ok: out.ok, durationMs: out.durationMs,
                error: out.error, at: new Date(out.startedAt).toISOString(), responseHeaders: out.responseHeaders, responseBody: out.responseBody,
                sent: { signing: token === null ? 'none' : 'fresh', format: 'soveren', editedBody: null, editedSha256: null },
              });
              if (attempt) deps.hub.publishAttempt(r.deliveryId, attempt);
            },
          });
        } catch (error) {
          failure = { error };
        }
      }, input.jobId ?? undefined);
      const job = await deps.jobs.wait(started.id);
      if (failure !== null) throw failure.error;
      const final = job ?? started;
      const warnings = unknown.map((t) => `${t} is not a documented Soveren event type; a generic event was sent`);
      const summary = summarizeSend(results, { target: shown, signed: token !== null, seed, tamper, warnings });
      // A run stopped early (job.state says so) proves nothing about the requests it never made.
      const body: SendResponse = { summary: final.state === 'stopped' ? { ...summary, passed: false } : summary, results, job: final };
      return c.json(body, 200);
    })
    .openapi(API_ROUTES.getForwarding, (c) => c.json(deps.forwarder.state(), 200))
    .openapi(API_ROUTES.setForwarding, (c) => {
      const b = c.req.valid('json');
      const update: ForwardingUpdate = {};
      if (b.enabled != null) update.enabled = b.enabled;
      if (b.targets != null) update.targets = b.targets.map((t, i) => checkDeliveryTarget(`targets.${i}`, t));
      if (b.token === null) update.token = null;
      else if (b.token) update.token = b.token;
      if (b.keepSignature != null) update.keepSignature = b.keepSignature;
      if (b.format !== undefined) update.format = b.format;
      // Secrets: '' or null clears one; they are held for forwarding only, never answered back.
      if (b.hecToken !== undefined) update.hecToken = b.hecToken || null;
      if (b.hecAck != null) update.hecAck = b.hecAck;
      if (b.elasticApiKey !== undefined) update.elasticApiKey = b.elasticApiKey || null;
      if (b.batchMs != null) update.batchMs = b.batchMs;
      return c.json(asBadField('targets', () => deps.forwarder.update(update)), 200);
    })
    .openapi(API_ROUTES.retryForwarding, (c) => {
      const { target } = c.req.valid('json');
      const shown = redactUrl(target);
      if (!deps.forwarder.state().targets.some((t) => t.url === shown)) throw new ApiError(404, 'no such forward target');
      // The failed ones as "show the failed ones" lists them, oldest first, at most one queue's worth.
      const q = failedQuery('forward', shown);
      const ids: number[] = [];
      for (let cursor = 0; ids.length < MAX_FORWARD_RETRY;) {
        const page = deps.deliveries.listAfter(parseQuery(q), cursor, 500);
        if (page.length === 0) break;
        for (const d of page) if (ids.length < MAX_FORWARD_RETRY) ids.push(d.id);
        cursor = page[page.length - 1]!.id;
      }
      return c.json({ queued: deps.forwarder.retry(shown, ids), q }, 200);
    });
}
