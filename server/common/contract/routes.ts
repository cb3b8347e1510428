// Every /api route of the UI listener, declared once: method, path, request schemas and
// answers. The server implements each with `app.openapi(API_ROUTES.x, handler)`, the
// OpenAPI document lists them, and the UI's client is typed from them. To add a route: add
// it here, implement it with app.openapi (a plain app.get fails the contract test), and
// the document, the validation and the client type follow.
import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import * as E from './entities.ts';
import * as R from './requests.ts';
import * as Ref from './reference.ts';

const json = <S extends z.ZodType>(schema: S, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const error = (description: string) => json(E.ApiErrorBody, description);
const BAD = { 400: error('the request does not match the contract: `issues` names each field') };
const MISSING = { 404: error('no such item') };

export const API_ROUTES = {
  health: createRoute({ method: 'get', path: '/api/health', tags: ['deliveries'], request: { query: R.TokenOnlyQuery },
    responses: { 200: json(E.Health, 'settings and counts'), ...BAD } }),
  listDeliveries: createRoute({ method: 'get', path: '/api/deliveries', tags: ['deliveries'], request: { query: R.ListQuery },
    responses: { 200: json(E.DeliveryPage, 'newest first; `next` is the cursor for `before`'), ...BAD } }),
  getDelivery: createRoute({ method: 'get', path: '/api/deliveries/{id}', tags: ['deliveries'], request: { params: R.DeliveryIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.DeliveryDetail, 'the delivery with its attempts'), ...BAD, ...MISSING } }),
  getRawBody: createRoute({ method: 'get', path: '/api/deliveries/{id}/raw', tags: ['deliveries'], request: { params: R.DeliveryIdParam, query: R.TokenOnlyQuery },
    responses: { 200: { content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'the exact bytes received, as an attachment' }, ...BAD, ...MISSING } }),
  getCurl: createRoute({ method: 'get', path: '/api/deliveries/{id}/curl', tags: ['deliveries'], request: { params: R.DeliveryIdParam, query: R.CurlQuery },
    responses: { 200: { content: { 'text/plain': { schema: z.string() } }, description: 'a curl command that re-sends the delivery' }, ...BAD, ...MISSING } }),
  deleteDelivery: createRoute({ method: 'delete', path: '/api/deliveries/{id}', tags: ['deliveries'], request: { params: R.DeliveryIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(z.object({ deleted: z.number().int() }), 'deleted'), ...BAD, ...MISSING } }),
  deleteMatching: createRoute({ method: 'delete', path: '/api/deliveries', tags: ['deliveries'], request: { query: R.FilterQuery },
    responses: { 200: json(z.object({ deleted: z.number().int() }), 'how many matched and were deleted (no filter: all)'), ...BAD } }),
  siemMapping: createRoute({ method: 'get', path: '/api/deliveries/{id}/siem/{format}', tags: ['siem'], request: { params: R.SiemParams, query: R.SiemQuery },
    responses: { 200: json(E.SiemMapping, 'the delivery as OCSF, ECS, CEF or a Splunk HEC envelope, field by field'), ...BAD, ...MISSING,
      422: error('the body is not a JSON event object: `error` says why') } }),
  signatureExpectation: createRoute({ method: 'get', path: '/api/deliveries/{id}/signature', tags: ['deliveries'], request: { params: R.DeliveryIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.SignatureExpectation, 'what each configured token would sign the stored body as, masked, beside what arrived'), ...BAD, ...MISSING } }),
  exportMatching: createRoute({ method: 'get', path: '/api/export', tags: ['deliveries'], request: { query: R.ExportQuery },
    responses: { 200: { content: {
      'application/x-ndjson': { schema: z.string() }, 'application/json': { schema: z.string() }, 'text/x-shellscript': { schema: z.string() },
    }, description: 'the matching deliveries, oldest first, streamed as an attachment (as `soveren-inspector export` writes them)' }, ...BAD } }),
  facets: createRoute({ method: 'get', path: '/api/facets', tags: ['deliveries'], request: { query: R.FilterQuery },
    responses: { 200: json(E.Facets, 'counts per value of each filterable field'), ...BAD, 503: error('the client went away') } }),
  histogram: createRoute({ method: 'get', path: '/api/histogram', tags: ['deliveries'], request: { query: R.HistogramQuery },
    responses: { 200: json(E.Histogram, 'deliveries over time by category facet'), ...BAD, 503: error('the client went away') } }),
  setResponse: createRoute({ method: 'put', path: '/api/settings/response', tags: ['deliveries'], request: { query: R.TokenOnlyQuery, ...body(R.ResponseSettingUpdate) },
    responses: { 200: json(E.ReceiverResponseSetting, 'the receiver\'s answer from now on'), ...BAD } }),

  replayOne: createRoute({ method: 'post', path: '/api/deliveries/{id}/replay', tags: ['sender'], request: { params: R.DeliveryIdParam, query: R.TokenOnlyQuery, ...body(R.ReplayRequest) },
    responses: { 200: json(E.Attempt, 'the last try (every try is stored and streamed)'), ...BAD, ...MISSING } }),
  replayMatching: createRoute({ method: 'post', path: '/api/replay', tags: ['sender'], request: { query: R.TokenOnlyQuery, ...body(R.BulkReplayRequest) },
    responses: { 202: json(E.JobStatus, 'a job; progress as `job` stream messages'), ...BAD } }),
  listJobs: createRoute({ method: 'get', path: '/api/jobs', tags: ['sender'], request: { query: R.TokenOnlyQuery },
    responses: { 200: json(z.object({ items: z.array(E.JobStatus) }), 'running and recent jobs'), ...BAD } }),
  getJob: createRoute({ method: 'get', path: '/api/jobs/{id}', tags: ['sender'], request: { params: R.JobIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.JobStatus, 'the job'), ...BAD, ...MISSING } }),
  stopJob: createRoute({ method: 'post', path: '/api/jobs/{id}/stop', tags: ['sender'], request: { params: R.JobIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.JobStatus, 'the job as it stopped'), ...BAD, ...MISSING } }),
  send: createRoute({ method: 'post', path: '/api/send', tags: ['sender'], request: { query: R.TokenOnlyQuery, ...body(R.SendRequest) },
    responses: { 200: json(E.SendResponse, 'answered when every event was sent (or the job was stopped)'), ...BAD } }),
  getForwarding: createRoute({ method: 'get', path: '/api/forwarding', tags: ['sender'], request: { query: R.TokenOnlyQuery },
    responses: { 200: json(E.ForwardingState, 'live forwarding and per-target health'), ...BAD } }),
  setForwarding: createRoute({ method: 'put', path: '/api/forwarding', tags: ['sender'], request: { query: R.TokenOnlyQuery, ...body(R.ForwardingUpdate) },
    responses: { 200: json(E.ForwardingState, 'the new state'), ...BAD } }),
  retryForwarding: createRoute({ method: 'post', path: '/api/forwarding/retry', tags: ['sender'], request: { query: R.TokenOnlyQuery, ...body(R.ForwardRetryRequest) },
    responses: { 200: json(E.ForwardRetry, 'the failed deliveries queued again for that target'), ...BAD, ...MISSING } }),

  startCheck: createRoute({ method: 'post', path: '/api/checks', tags: ['checks'], request: { query: R.TokenOnlyQuery, ...body(R.CheckRequest) },
    responses: { 202: json(E.CheckRunSummary, 'the run; results follow as `check` stream messages'), ...BAD,
      409: error('another run is still running'), 503: error('the inspector is shutting down') } }),
  listChecks: createRoute({ method: 'get', path: '/api/checks', tags: ['checks'], request: { query: R.CheckPageQuery },
    responses: { 200: json(E.CheckRunPage, 'newest first'), ...BAD } }),
  listScenarios: createRoute({ method: 'get', path: '/api/checks/scenarios', tags: ['checks'], request: { query: R.ScenarioQuery },
    responses: { 200: json(z.object({ items: z.array(E.CheckScenarioInfo) }), 'the scenarios a run would send'), ...BAD } }),
  getCheck: createRoute({ method: 'get', path: '/api/checks/{id}', tags: ['checks'], request: { params: R.CheckRunIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.CheckRun, 'the run with its results'), ...BAD, ...MISSING } }),
  checkReport: createRoute({ method: 'get', path: '/api/checks/{id}/report', tags: ['checks'], request: { params: R.CheckRunIdParam, query: R.CheckReportQuery },
    responses: { 200: { content: { 'application/json': { schema: z.unknown().describe('the `check --json` report (CheckReport)') }, 'application/xml': { schema: z.string() } },
      description: 'a finished run as a download: the JSON report or JUnit XML, as the CLI writes them' }, ...BAD, ...MISSING, 409: error('the run is still running') } }),
  stopCheck: createRoute({ method: 'post', path: '/api/checks/{id}/stop', tags: ['checks'], request: { params: R.CheckRunIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.CheckRunSummary, 'the run'), ...BAD, ...MISSING } }),

  listOutputs: createRoute({ method: 'get', path: '/api/outputs', tags: ['sinks'], request: { query: R.OutputListQuery },
    responses: { 200: json(E.OutputPage, 'what the SIEM sinks received, newest first'), ...BAD } }),
  getOutput: createRoute({ method: 'get', path: '/api/outputs/{id}', tags: ['sinks'], request: { params: R.OutputIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(E.OutputDetail, 'one output with its parsed fields'), ...BAD, ...MISSING } }),
  compareOutput: createRoute({ method: 'get', path: '/api/outputs/{id}/compare', tags: ['sinks'], request: { params: R.OutputIdParam, query: R.CompareQuery },
    responses: { 200: json(E.OutputComparison, 'the output beside the reference mapping of its delivery, field by field'), ...BAD, ...MISSING } }),
  coverage: createRoute({ method: 'get', path: '/api/coverage', tags: ['reference'], request: { query: R.TokenOnlyQuery },
    responses: { 200: json(Ref.Coverage, 'the 29 event types (and unknown ones seen) by category, with what reached each target and sink'), ...BAD } }),
  eventTypes: createRoute({ method: 'get', path: '/api/event-types', tags: ['reference'], request: { query: R.TokenOnlyQuery },
    responses: { 200: json(Ref.EventTypeList, 'what each Soveren event type is: category, description, fields, title templates, an example'), ...BAD } }),
  deleteOutput: createRoute({ method: 'delete', path: '/api/outputs/{id}', tags: ['sinks'], request: { params: R.OutputIdParam, query: R.TokenOnlyQuery },
    responses: { 200: json(z.object({ deleted: z.number().int() }), 'deleted'), ...BAD, ...MISSING } }),
  deleteOutputs: createRoute({ method: 'delete', path: '/api/outputs', tags: ['sinks'], request: { query: R.OutputFilterQuery },
    responses: { 200: json(z.object({ deleted: z.number().int() }), 'how many matched and were deleted (no filter: all)'), ...BAD } }),

  openapi: createRoute({ method: 'get', path: '/api/openapi.json', tags: ['meta'], request: { query: R.TokenOnlyQuery },
    responses: { 200: json(z.record(z.string(), z.unknown()), 'this document (OpenAPI 3.1)'), ...BAD } }),
} satisfies Record<string, RouteConfig>;
