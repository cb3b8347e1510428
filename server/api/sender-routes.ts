// Sender routes of the UI listener (types in protocol.ts): replay one delivery, optionally
// with an edited body; bulk replay jobs with progress on the stream; test events (a job
// too, answered when it ends); live forwarding settings. Tokens in request bodies sign
// requests and are then dropped: never echoed, logged or stored. A failing target is an
// answer (ok: false), never a 500.
import { sanitizeForTerminal } from '../log.ts';
import { Hono } from 'hono';
import type { Attempt, JobStatus, SendResponse, SendResult } from '../shared/protocol.ts';
import { parseQuery } from '../shared/query.ts';
import { queryProblem } from '../shared/query-values.ts';
import { DEFAULT_RETRY_POLICY } from '../sender/deliver.ts';
import { ForwardingInputError, type Forwarder } from '../sender/forwarder.ts';
import { DEFAULT_TIMEOUT_MS } from '../sender/http.ts';
import type { Jobs } from '../sender/jobs.ts';
import { runPool } from '../sender/pool.ts';
import { createReplayer } from '../sender/replay.ts';
import { InputError, readDeliveryTarget, readForwardingUpdate, readInt, readRate, readSendInput, readSiemRoute, readSigning, readString } from './request-input.ts';
import { resolveEventTypes, sendEvents, SendInputError, summarizeSend } from '../sender/send-events.ts';
import { tamperNeedsToken } from '../sender/soveren-request.ts';
import { isSameEndpoint, redactUrl } from '../sender/target-url.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import type { Hub } from '../stream/hub.ts';
import { BadRequest, idParam, readJson } from './routes.ts';

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

export function createSenderRoutes(deps: SenderRoutesDeps) {
  const api = new Hono();
  const replayer = createReplayer({ deliveries: deps.deliveries, attempts: deps.attempts, kind: 'replay', onAttempt: (id, a) => deps.hub.publishAttempt(id, a) });

  api.onError((err, c) => {
    if (err instanceof BadRequest || err instanceof InputError || err instanceof ForwardingInputError) return c.json({ error: err.message }, 400);
    if (err instanceof SendInputError) return c.json({ error: `${err.field}: ${err.message}` }, 400);
    console.error(sanitizeForTerminal(`sender api error: ${(err as Error).message}`, 1000));
    return c.json({ error: 'internal error' }, 500);
  });

  api.post('/deliveries/:id/replay', async (c) => {
    const id = idParam(c);
    const b = await readJson(c);
    const target = readDeliveryTarget(b, 'target');
    const siem = readSiemRoute(b, target);
    const signing = readSigning(b);
    const edited = readString(b, 'body', deps.maxBody);
    if (edited !== undefined && signing.mode === 'keep') {
      throw new InputError('an edited body cannot keep the stored signature (it covers the original bytes); give a token to re-sign');
    }
    if (edited !== undefined && Buffer.byteLength(edited) > deps.maxBody) throw new InputError(`body is over ${deps.maxBody} bytes`);
    const outcome = await replayer.replay(id, {
      url: target, signing, siem, timeoutMs: readInt(b, 'timeoutMs', 100, 60_000, DEFAULT_TIMEOUT_MS),
      policy: { ...DEFAULT_RETRY_POLICY, retries: readInt(b, 'retries', 0, 5, 0) },
      ...(edited !== undefined && { body: Buffer.from(edited, 'utf8') }),
    });
    const last: Attempt | undefined = outcome.attempts[outcome.attempts.length - 1];
    if (!outcome.found || !last) return c.json({ error: `delivery ${id} not found` }, 404);
    return c.json(last);
  });

  api.post('/replay', async (c) => {
    const b = await readJson(c);
    const target = readDeliveryTarget(b, 'target');
    const siem = readSiemRoute(b, target);
    const signing = readSigning(b);
    const query = parseQuery(readString(b, 'q', 2000) ?? '');
    const problem = queryProblem(query);
    if (problem) throw new BadRequest(`q: ${problem}`);
    const limit = readInt(b, 'limit', 1, 10_000, 1000);
    const concurrency = readInt(b, 'concurrency', 1, 16, 1);
    const ratePerSec = readRate(b);
    const policy = { ...DEFAULT_RETRY_POLICY, retries: readInt(b, 'retries', 0, 5, 0) };
    const ids: number[] = [];
    for (let cursor = 0; ids.length < limit;) {
      const page = deps.deliveries.listAfter(query, cursor, Math.min(500, limit - ids.length));
      if (page.length === 0) break;
      for (const d of page) ids.push(d.id);
      cursor = page[page.length - 1]!.id;
    }
    const job: JobStatus = deps.jobs.start('replay', ids.length, redactUrl(target), async (ctl) => {
      await runPool(ids.length, async (i) => {
        const outcome = await replayer.replay(ids[i]!, { url: target, signing, siem, timeoutMs: DEFAULT_TIMEOUT_MS, policy, signal: ctl.signal });
        ctl.progress(outcome.ok);
      }, { concurrency, ratePerSec, signal: ctl.signal });
    });
    return c.json(job, 202);
  });

  api.get('/jobs', (c) => c.json({ items: deps.jobs.list() }));

  api.get('/jobs/:id', (c) => {
    const job = deps.jobs.get(c.req.param('id'));
    return job ? c.json(job) : c.json({ error: 'no such job' }, 404);
  });

  api.post('/jobs/:id/stop', async (c) => {
    const job = await deps.jobs.stop(c.req.param('id'));
    return job ? c.json(job) : c.json({ error: 'no such job' }, 404);
  });

  api.post('/send', async (c) => {
    const input = readSendInput(await readJson(c));
    const { types, unknown } = resolveEventTypes({ types: input.types, all: input.all, ...(input.category !== undefined && { category: input.category }) });
    if (types.length * input.count > MAX_SEND) throw new InputError(`${types.length} types × count ${input.count} is over ${MAX_SEND} requests; use the CLI for more`);
    const to = input.to ?? deps.receiverUrl();
    const own = isSameEndpoint(to, deps.receiverUrl());
    const token = input.token ?? (own ? deps.receiverTokens[0] ?? null : null);
    if (input.tamper !== null && tamperNeedsToken(input.tamper) && token === null) {
      throw new InputError(`tamper ${input.tamper} needs a token${own ? ' (the receiver has none configured)' : ''}`);
    }
    const seed = input.seed ?? Math.floor(Math.random() * 2 ** 32);
    const shown = redactUrl(to);
    // Run as a job so the UI sees progress and can stop it; the answer still comes at the
    // end, over whatever was sent (a stopped send is a 200 with fewer results).
    let results: SendResult[] = [];
    let failure = null as { error: unknown } | null;
    const started = deps.jobs.start('send', types.length * input.count, shown, async (ctl) => {
      try {
        results = await sendEvents({
          to, token, types, count: input.count, seed, categoryForm: input.categoryForm, tamper: input.tamper,
          concurrency: input.concurrency, ratePerSec: null, timeoutMs: DEFAULT_TIMEOUT_MS, signal: ctl.signal,
          onResult(r, out) {
            ctl.progress(r.ok);
            // Sent to our own receiver: the stored delivery gets a record of how it was made.
            if (!own || r.deliveryId === null) return;
            const attempt = deps.attempts.record({
              deliveryId: r.deliveryId, kind: 'send', target: shown, status: out.status, ok: out.ok, durationMs: out.durationMs,
              error: out.error, at: new Date(out.startedAt).toISOString(), responseHeaders: out.responseHeaders, responseBody: out.responseBody,
            });
            if (attempt) deps.hub.publishAttempt(r.deliveryId, attempt);
          },
        });
      } catch (error) {
        failure = { error };
      }
    }, input.jobId);
    const job = await deps.jobs.wait(started.id);
    if (failure !== null) throw failure.error;
    const final = job ?? started;
    const warnings = unknown.map((t) => `${t} is not a documented Soveren event type; a generic event was sent`);
    const summary = summarizeSend(results, { target: shown, signed: token !== null, seed, tamper: input.tamper, warnings });
    // A run stopped early (job.state says so) proves nothing about the requests it never made.
    const body: SendResponse = { summary: final.state === 'stopped' ? { ...summary, passed: false } : summary, results, job: final };
    return c.json(body);
  });

  api.get('/forwarding', (c) => c.json(deps.forwarder.state()));

  api.put('/forwarding', async (c) => c.json(deps.forwarder.update(readForwardingUpdate(await readJson(c)))));

  return api;
}
