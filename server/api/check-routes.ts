// Conformance-check routes of the UI listener: POST /api/checks starts a run against a
// connector (one at a time), results are stored and pushed on the stream as they land;
// GET /api/checks is the history, newest first. The token signs requests and is dropped:
// never stored, echoed or logged.
import { setMaxListeners } from 'node:events';
import type { z } from '@hono/zod-openapi';
import type { CheckRunSummary, CheckSettings, StreamMessage } from '../common/protocol.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import type { CheckRequest as CheckRequestSchema } from '../common/contract/requests.ts';
import type { NewOutput } from '../store/outputs.ts';
import type { OutputListener } from '../sink/output-tap.ts';
import type { CheckRunStore } from '../store/check-runs.ts';
import { runCheck } from '../check/runner.ts';
import { describeBadTarget, redactUrl } from '../sender/target-url.ts';
import { DEFAULT_CHECK_SETTINGS, parseStatusList, planScenarios } from '../check/scenarios.ts';
import { reportOfRun } from '../check/run-report.ts';
import { formatJsonReport } from '../check/scorecard.ts';
import { formatJunit } from '../check/junit.ts';
import { ApiError, createContractApp } from './errors.ts';

export type CheckMessage = Extract<StreamMessage, { type: 'check' | 'check-run' }>;

export interface CheckRoutesDeps {
  runs: CheckRunStore;
  publish: (message: CheckMessage) => void;
  log?: (line: string) => void;
  /** The running inspector's SIEM sinks: a `through` run judges what they commit while it runs. */
  sinks?: { subscribe(listener: OutputListener): () => void; running(): boolean };
  /** How often runs recorded by other processes (`check --db` from a terminal) are looked for, ms; 0: never. */
  adoptIntervalMs?: number;
}

/** Outputs a `through` run keeps at most (a connector flooding the sink cannot exhaust memory). */
const MAX_WATCHED_OUTPUTS = 100_000;

/** A validated request body -> target and settings, or a 400 naming the field. */
export function readCheckRequest(b: z.output<typeof CheckRequestSchema>): { url: string; token: string; settings: CheckSettings } {
  const problem = describeBadTarget(b.url);
  if (problem) throw ApiError.badField('url', problem);
  let expectReject = [...DEFAULT_CHECK_SETTINGS.expectReject];
  if (b.expectReject !== undefined) {
    const parsedList = parseStatusList(b.expectReject.join(','));
    if (typeof parsedList === 'string') throw ApiError.badField('expectReject', parsedList);
    expectReject = parsedList;
  }
  const through = b.through ?? undefined;
  if (through === undefined && b.sinkWaitMs !== undefined) throw ApiError.badField('sinkWaitMs', 'goes with through (hec, elastic, syslog or http)');
  const settings: CheckSettings = {
    timeoutMs: b.timeoutMs ?? DEFAULT_CHECK_SETTINGS.timeoutMs,
    burst: b.burst ?? DEFAULT_CHECK_SETTINGS.burst,
    expectReject,
    largeSize: b.largeSize ?? DEFAULT_CHECK_SETTINGS.largeSize,
    only: b.only !== undefined && b.only.trim() !== '' ? b.only.trim() : null,
    ...(through && { through, sinkWaitMs: b.sinkWaitMs ?? 10_000 }),
  };
  return { url: b.url, token: b.token, settings };
}

export function createCheckRoutes(deps: CheckRoutesDeps) {
  const { runs } = deps;
  const notFound = (id: number) => new ApiError(404, `check run ${id} not found`);
  let active: { id: number; controller: AbortController; done: Promise<void> } | null = null;
  let closed = false;
  // A run left `running` was cut off when its process stopped.
  runs.interruptRunning(Date.now());
  // Runs a terminal's `check --db` records into this database join the history live.
  let adoptedUpTo = runs.lastId();
  const ownRuns = new Set<number>();
  const adopter = deps.adoptIntervalMs ? setInterval(() => {
    for (const run of runs.listAfter(adoptedUpTo, 50)) {
      adoptedUpTo = run.id;
      if (!ownRuns.has(run.id)) deps.publish({ type: 'check-run', run });
    }
  }, deps.adoptIntervalMs) : null;
  adopter?.unref();

  function publishRun(id: number): void {
    const run = runs.summary(id);
    if (run) deps.publish({ type: 'check-run', run });
  }

  const api = createContractApp().openapi(API_ROUTES.startCheck, async (c) => {
    const { url, token, settings } = readCheckRequest(c.req.valid('json'));
    const planned = planScenarios(settings);
    if (planned.length === 0) throw ApiError.badField('only', `"${settings.only}" matches no scenario; see GET /api/checks/scenarios`);
    if (active) throw new ApiError(409, `check run ${active.id} is still running; wait for it or stop it first`);
    if (closed) throw new ApiError(503, 'the inspector is shutting down');
    if (settings.through && !deps.sinks?.running()) throw new ApiError(409, 'through needs the SIEM sinks, and they are not running in this inspector');

    const id = runs.start({ url: redactUrl(url), startedAt: Date.now(), settings, planned });
    ownRuns.add(id);
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
  })
    .openapi(API_ROUTES.listChecks, (c) => {
      const { limit = 50, before } = c.req.valid('query');
      const items = runs.list(limit + 1, before);
      const more = items.length > limit;
      if (more) items.pop();
      return c.json({ items, next: more ? items[items.length - 1]!.id : null }, 200);
    })
    .openapi(API_ROUTES.listScenarios, (c) => c.json({ items: planScenarios({ ...DEFAULT_CHECK_SETTINGS, only: c.req.valid('query').only || null, ...(c.req.valid('query').through && { through: c.req.valid('query').through }) }) }, 200))
    .openapi(API_ROUTES.getCheck, (c) => {
      const { id } = c.req.valid('param');
      const run = runs.get(id);
      if (!run) throw notFound(id);
      return c.json(run, 200);
    })
    .openapi(API_ROUTES.checkReport, (c) => {
      const { id } = c.req.valid('param');
      const run = runs.get(id);
      if (!run) throw notFound(id);
      const report = reportOfRun(run);
      if (!report) throw new ApiError(409, `check run ${id} is still running; its report is ready when it ends`);
      const junit = c.req.valid('query').format === 'junit';
      return new Response(junit ? formatJunit(report) : formatJsonReport(report), {
        headers: {
          'content-type': junit ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="check-${id}.${junit ? 'xml' : 'json'}"`,
          // Opened directly, the report (connector answers quoted in it) runs no script.
          'content-security-policy': 'sandbox',
        },
      });
    })
    .openapi(API_ROUTES.stopCheck, (c) => {
      const { id } = c.req.valid('param');
      const run = runs.summary(id);
      if (!run) throw notFound(id);
      if (active?.id === id) active.controller.abort();
      return c.json(runs.summary(id) ?? run, 200);
    });

  /** Stop a running check and mark it interrupted (before the database closes). */
  function close(): void {
    if (closed) return;
    if (adopter) clearInterval(adopter);
    if (active) {
      active.controller.abort();
      runs.finish(active.id, 'interrupted', Date.now());
    }
    closed = true;
  }

  return { routes: api, close, get activeRunId() { return active?.id ?? null; } };
}
