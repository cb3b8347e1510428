// Conformance-check routes of the UI listener: POST /api/checks starts a run against a
// connector (one at a time), results are stored and pushed on the stream as they land;
// GET /api/checks is the history, newest first. The token signs requests and is dropped:
// never stored, echoed or logged.
import { setMaxListeners } from 'node:events';
import { Hono, type Context } from 'hono';
import type { CheckRequest, CheckRunSummary, CheckSettings, SinkKind, StreamMessage } from '../shared/protocol.ts';
import type { NewOutput } from '../store/outputs.ts';
import type { OutputListener } from '../sink/output-tap.ts';
import type { CheckRunStore } from '../store/check-runs.ts';
import { runCheck } from '../check/runner.ts';
import { describeBadTarget, redactUrl } from '../sender/target-url.ts';
import { CHECK_LIMITS, DEFAULT_CHECK_SETTINGS, parseStatusList, planScenarios } from '../check/scenarios.ts';
import { BadRequest, readJson } from './routes.ts';

export type CheckMessage = Extract<StreamMessage, { type: 'check' | 'check-run' }>;

export interface CheckRoutesDeps {
  runs: CheckRunStore;
  publish: (message: CheckMessage) => void;
  log?: (line: string) => void;
  /** The running inspector's SIEM sinks: a `through` run judges what they commit while it runs. */
  sinks?: { subscribe(listener: OutputListener): () => void; running(): boolean };
}

const FIELDS = new Set<string>(['url', 'token', 'timeoutMs', 'burst', 'expectReject', 'largeSize', 'only', 'through', 'sinkWaitMs']);
const SINK_KINDS: readonly SinkKind[] = ['hec', 'elastic', 'syslog', 'http'];
/** Outputs a `through` run keeps at most (a connector flooding the sink cannot exhaust memory). */
const MAX_WATCHED_OUTPUTS = 100_000;

function readInt(b: Record<string, unknown>, key: keyof CheckRequest, range: { min: number; max: number }, fallback: number): number {
  const v = b[key];
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < range.min || (v as number) > range.max) {
    throw new BadRequest(`${key} must be a whole number between ${range.min} and ${range.max}`);
  }
  return v as number;
}

/** The request body -> target and settings, or a 400 naming the field. */
export function readCheckRequest(b: Record<string, unknown>): { url: string; token: string; settings: CheckSettings } {
  const unknown = Object.keys(b).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw new BadRequest(`unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}; allowed: ${[...FIELDS].join(', ')}`);
  const { url, token } = b;
  if (typeof url !== 'string') throw new BadRequest('url must be the connector URL (http:// or https://)');
  const problem = describeBadTarget(url);
  if (problem) throw new BadRequest(`url: ${problem}`);
  if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
    throw new BadRequest('token must be the webhook token the connector verifies with (1-1024 characters)');
  }
  let expectReject = [...DEFAULT_CHECK_SETTINGS.expectReject];
  if (b.expectReject !== undefined) {
    if (!Array.isArray(b.expectReject) || !b.expectReject.every((n) => Number.isInteger(n))) throw new BadRequest('expectReject must be a list of HTTP statuses such as [401, 403]');
    const parsedList = parseStatusList(b.expectReject.join(','));
    if (typeof parsedList === 'string') throw new BadRequest(`expectReject ${parsedList}`);
    expectReject = parsedList;
  }
  if (b.only !== undefined && (typeof b.only !== 'string' || b.only.length > 200)) throw new BadRequest('only must be a string of comma-separated words (200 characters at most)');
  if (b.through !== undefined && b.through !== null && !SINK_KINDS.includes(b.through as SinkKind)) throw new BadRequest(`through must be one of ${SINK_KINDS.join(', ')} (the sink your connector writes to)`);
  const through = (b.through ?? undefined) as SinkKind | undefined;
  if (through === undefined && b.sinkWaitMs !== undefined) throw new BadRequest('sinkWaitMs goes with through (hec, elastic, syslog or http)');
  const settings: CheckSettings = {
    timeoutMs: readInt(b, 'timeoutMs', CHECK_LIMITS.timeoutMs, DEFAULT_CHECK_SETTINGS.timeoutMs),
    burst: readInt(b, 'burst', CHECK_LIMITS.burst, DEFAULT_CHECK_SETTINGS.burst),
    expectReject,
    largeSize: readInt(b, 'largeSize', CHECK_LIMITS.largeSize, DEFAULT_CHECK_SETTINGS.largeSize),
    only: typeof b.only === 'string' && b.only.trim() !== '' ? b.only.trim() : null,
    ...(through && { through, sinkWaitMs: readInt(b, 'sinkWaitMs', CHECK_LIMITS.sinkWaitMs, 10_000) }),
  };
  return { url, token, settings };
}

function idParam(c: Context): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new BadRequest(`check run id must be a number, got "${raw.slice(0, 40)}"`);
  return Number(raw);
}

export function createCheckRoutes(deps: CheckRoutesDeps) {
  const api = new Hono();
  const { runs } = deps;
  let active: { id: number; controller: AbortController; done: Promise<void> } | null = null;
  let closed = false;
  // A run left `running` was cut off when its process stopped.
  runs.interruptRunning(Date.now());

  api.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: err.message }, 400);
    deps.log?.(`check api error: ${(err as Error).message}`);
    return c.json({ error: 'internal error' }, 500);
  });

  function publishRun(id: number): void {
    const run = runs.summary(id);
    if (run) deps.publish({ type: 'check-run', run });
  }

  api.post('/checks', async (c) => {
    const { url, token, settings } = readCheckRequest(await readJson(c));
    const planned = planScenarios(settings);
    if (planned.length === 0) throw new BadRequest(`only "${settings.only}" matches no scenario; see GET /api/checks/scenarios`);
    if (active) return c.json({ error: `check run ${active.id} is still running; wait for it or stop it first` }, 409);
    if (closed) return c.json({ error: 'the inspector is shutting down' }, 503);
    if (settings.through && !deps.sinks?.running()) return c.json({ error: 'through needs the SIEM sinks, and they are not running in this inspector' }, 409);

    const id = runs.start({ url: redactUrl(url), startedAt: Date.now(), settings, planned });
    const controller = new AbortController();
    // One signal is shared by every request of a run (a burst passes hundreds).
    setMaxListeners(0, controller.signal);
    const onResult = (result: Parameters<typeof runs.appendResult>[1]) => {
      if (closed) return;
      runs.appendResult(id, result);
      deps.publish({ type: 'check', runId: id, result });
    };
    // `through`: keep what the sinks commit during the run (bounded), judged once the scenarios are done.
    const watched: NewOutput[] = [];
    const unsubscribe = settings.through && deps.sinks
      ? deps.sinks.subscribe((items) => { for (const o of items) if (o.sink === settings.through && watched.length < MAX_WATCHED_OUTPUTS) watched.push(o); })
      : () => undefined;
    const through = settings.through ? { kind: settings.through, waitMs: settings.sinkWaitMs ?? 10_000, outputs: () => watched } : undefined;
    const done = runCheck({ url, token }, settings, { signal: controller.signal, onResult, ...(through && { through }) })
      .then((report) => {
        if (closed) return;
        runs.finish(id, controller.signal.aborted ? 'interrupted' : report.ok ? 'passed' : 'failed', Date.now());
      })
      .catch((err: Error) => {
        deps.log?.(`check run ${id} failed: ${err.message}`);
        if (!closed) runs.finish(id, 'interrupted', Date.now());
      })
      .finally(() => {
        unsubscribe();
        if (active?.id === id) active = null;
        if (!closed) publishRun(id);
      });
    active = { id, controller, done };
    publishRun(id);
    return c.json(runs.summary(id) as CheckRunSummary, 202);
  });

  api.get('/checks', (c) => {
    const limitRaw = c.req.query('limit') ?? '50';
    const beforeRaw = c.req.query('before');
    if (!/^\d{1,3}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 200) throw new BadRequest('limit must be a whole number between 1 and 200');
    if (beforeRaw !== undefined && !/^\d{1,15}$/.test(beforeRaw)) throw new BadRequest('before must be a check run id');
    const limit = Number(limitRaw);
    const items = runs.list(limit + 1, beforeRaw === undefined ? undefined : Number(beforeRaw));
    const more = items.length > limit;
    if (more) items.pop();
    return c.json({ items, next: more ? items[items.length - 1]!.id : null });
  });

  api.get('/checks/scenarios', (c) => {
    const through = c.req.query('through');
    if (through !== undefined && !SINK_KINDS.includes(through as SinkKind)) throw new BadRequest(`through must be one of ${SINK_KINDS.join(', ')}`);
    const only = (c.req.query('only') ?? '').slice(0, 200) || null;
    return c.json({ items: planScenarios({ ...DEFAULT_CHECK_SETTINGS, only, ...(through && { through: through as SinkKind }) }) });
  });

  api.get('/checks/:id', (c) => {
    const id = idParam(c);
    const run = runs.get(id);
    return run ? c.json(run) : c.json({ error: `check run ${id} not found` }, 404);
  });

  api.post('/checks/:id/stop', (c) => {
    const id = idParam(c);
    if (!runs.summary(id)) return c.json({ error: `check run ${id} not found` }, 404);
    if (active?.id === id) active.controller.abort();
    return c.json(runs.summary(id));
  });

  /** Stop a running check and mark it interrupted (before the database closes). */
  function close(): void {
    if (closed) return;
    if (active) {
      active.controller.abort();
      runs.finish(active.id, 'interrupted', Date.now());
    }
    closed = true;
  }

  return { routes: api, close, get activeRunId() { return active?.id ?? null; } };
}
