// What the API accepts, as schemas: every body, path parameter and query of /api, declared
// once. Hono's validator checks requests against them, the OpenAPI document describes them,
// and the UI's client is typed by them. Unknown body fields are refused (a typo such as
// `keepSignatures` would otherwise silently do nothing); `null` counts as "not given".
import { z } from '@hono/zod-openapi';
import { TamperKind } from './entities.ts';
import { CHECK_LIMITS } from '../check-limits.ts';

/** Bounds of a conformance check run, shared by the API and the `check` command. */

const MAX_URL = 2048;
const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** A whole number in a query string. */
const queryInt = (min: number, max: number) => z.string().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number).pipe(int(min, max));
const targetUrl = (what: string) => z.string().min(1, `required: ${what}`).max(MAX_URL).describe(`${what} (http:// or https://)`);
/** Tokens sign outbound requests only; never echoed, logged or stored. */
const token = () => z.string().max(1000).nullish().describe('webhook token to sign with; used, then dropped');

export const DeliveryIdParam = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'must be a delivery id (a number)').transform(Number).openapi({ param: { name: 'id', in: 'path' }, example: '42' }),
});
export const CheckRunIdParam = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'must be a check run id (a number)').transform(Number).openapi({ param: { name: 'id', in: 'path' }, example: '3' }),
});
export const JobIdParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }) });

const repeatable = (what: string) => z.union([z.string(), z.array(z.string())]).optional().describe(`${what}; repeat for either`);
/** Query parameters every route accepts: the UI's access token (read by the guard, see README). */
const accessToken = { token: z.string().optional().describe('access token, when the UI listens beyond loopback') };
const filterShape = {
  q: z.string().max(2000).optional().describe('search syntax, see README "Search syntax"'),
  category: repeatable('category, any naming form'), event_type: repeatable('event type'), sensitivity: repeatable('sensitivity'),
  verdict: repeatable('signature verdict'), signature: repeatable('signature verdict'), ua: repeatable('user-agent verdict'),
  path: repeatable('path, or a prefix ending in *'), method: repeatable('HTTP method'),
  replay: repeatable('latest replay outcome'), forward: repeatable('latest forward outcome'), attempt: repeatable('any attempt\'s status'),
  via: repeatable('attempt kind'), target: repeatable('attempt target'), output: repeatable('reached a SIEM sink'), after: repeatable('received after (ISO time)'),
};
export const FilterQuery = z.strictObject({ ...filterShape, ...accessToken });
/** GET /api/export: the deliveries a filter matches, in one of the `export` command's formats. */
export const ExportQuery = z.strictObject({
  ...filterShape, ...accessToken,
  format: z.enum(['ndjson', 'har', 'curl']).optional().describe('ndjson (exact bytes and verdicts; `import` reads it, the default), har (HAR 1.2) or curl (a shell script)'),
});
export const ListQuery = z.strictObject({
  ...filterShape, ...accessToken,
  limit: queryInt(1, 500).optional().describe('page size, default 100'),
  before: queryInt(0, Number.MAX_SAFE_INTEGER).optional().describe('cursor: ids below this one'),
});
export const HistogramQuery = z.strictObject({ ...filterShape, ...accessToken, buckets: queryInt(1, 500).optional().describe('default 60') });
export const CurlQuery = z.strictObject({ ...accessToken, target: z.string().max(MAX_URL).optional().describe('URL in the command; default: this receiver') });
export const TokenOnlyQuery = z.strictObject(accessToken);
export const CheckReportQuery = z.strictObject({ ...accessToken, format: z.enum(['json', 'junit']).default('json').describe('json: the `check --json` report; junit: the `check --junit` XML') });
export const CheckPageQuery = z.strictObject({ ...accessToken, limit: queryInt(1, 200).optional().describe('default 50'), before: queryInt(0, Number.MAX_SAFE_INTEGER).optional() });
const SINK_KINDS = ['hec', 'elastic', 'syslog', 'http'] as const;
export const ScenarioQuery = z.strictObject({
  ...accessToken, only: z.string().max(200).optional(),
  through: z.enum(SINK_KINDS).optional().describe('include the end-to-end scenarios through this sink'),
});

export const SiemParams = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'must be a delivery id (a number)').transform(Number).openapi({ param: { name: 'id', in: 'path' }, example: '42' }),
  format: z.enum(['ocsf', 'ecs', 'cef', 'hec']).openapi({ param: { name: 'format', in: 'path' }, example: 'ocsf' }),
});
export const SiemQuery = z.strictObject({
  ...accessToken,
  payload: z.enum(['soveren', 'ocsf', 'ecs']).optional().describe('hec only: what `event` carries; default soveren'),
  index: z.string().max(200).optional().describe('hec only: the `index` of the envelope'),
  host: z.string().max(200).optional().describe('hec only: the `host` of the envelope'),
});

export const OutputIdParam = z.object({
  id: z.string().regex(/^\d{1,15}$/, 'must be an output id (a number)').transform(Number).openapi({ param: { name: 'id', in: 'path' }, example: '7' }),
});
const outputQueryText = z.string().max(2000).optional().describe('`sink:hec|elastic|syslog|http`, `linked:yes|no`, `delivery:<id>` and free words');
export const CompareQuery = z.strictObject({ ...accessToken, format: z.enum(['ocsf', 'ecs', 'cef', 'hec']).optional().describe('default: the sink\'s format') });
export const OutputFilterQuery = z.strictObject({ ...accessToken, q: outputQueryText });
export const OutputListQuery = z.strictObject({
  ...accessToken, q: outputQueryText,
  limit: queryInt(1, 500).optional().describe('page size, default 100'),
  before: queryInt(1, Number.MAX_SAFE_INTEGER).optional().describe('cursor: ids below this one'),
});

export const ResponseSettingUpdate = z.strictObject({
  status: int(200, 599).optional().describe('status for accepted deliveries'),
  delayMs: int(0, 60_000).optional().describe('delay before answering, ms'),
}).openapi('ResponseSettingUpdate');

const signingShape = { token: token(), keepSignature: z.boolean().nullish().describe('send the stored x-soveren-signature verbatim') };
function refuseBothSignings(b: { token?: string | null; keepSignature?: boolean | null }, ctx: z.RefinementCtx): void {
  if (b.token && b.keepSignature) ctx.addIssue({ code: 'custom', path: ['keepSignature'], message: 'give either token or keepSignature, not both' });
}

export const TransportFormat = z.enum(['soveren', 'ocsf', 'ecs', 'cef']).openapi('TransportFormat');
const secret = (what: string) => z.string().max(4096).nullish().describe(`${what}; used for this request or job only, never stored or answered back`);
/** For a SIEM target (hec+http(s)://host:port, elastic+http(s)://host:port/index, syslog+tcp|udp|tls://host:port). */
const siemShape = {
  format: TransportFormat.nullish().describe('payload for a SIEM target; default per scheme: hec+ soveren, elastic+ ecs, syslog+ cef'),
  hecToken: secret('Splunk HEC token'),
  hecAck: z.boolean().nullish().describe('wait for the HEC indexer acknowledgement'),
  elasticApiKey: secret('Elasticsearch API key'),
};
const deliveryTarget = () => z.string().min(1, 'required: the URL to send to').max(MAX_URL)
  .describe('http(s)://host/path, hec+http(s)://host:port, elastic+http(s)://host:port/index or syslog+tcp|udp|tls://host:port');

export const ReplayRequest = z.strictObject({
  target: deliveryTarget(), ...signingShape, ...siemShape,
  body: z.string().nullish().describe('edited body ("replay with changes"), re-signed with token; at most --max-body bytes'),
  retries: int(0, 5).nullish().describe('retries on network errors, 429 and 5xx; default 0'),
  timeoutMs: int(100, 60_000).nullish().describe('per-try timeout, default 10000'),
}).superRefine((b, ctx) => {
  refuseBothSignings(b, ctx);
  if (b.body != null && b.keepSignature) ctx.addIssue({ code: 'custom', path: ['body'], message: 'an edited body cannot keep the stored signature (it covers the original bytes); give a token to re-sign' });
}).openapi('ReplayRequest');

export const BulkReplayRequest = z.strictObject({
  q: z.string().max(2000).nullish(), target: deliveryTarget(), ...signingShape, ...siemShape,
  concurrency: int(1, 16).nullish().describe('requests in flight, default 1 (keeps the order)'),
  rate: z.number().gt(0).max(10_000).nullish().describe('requests per second, default unlimited'),
  retries: int(0, 5).nullish(), limit: int(1, 10_000).nullish().describe('at most this many deliveries, default 1000'),
  retryFailedOf: z.string().max(64).nullish().describe('"retry failed": replay exactly the deliveries that failed in this earlier replay job (instead of `q`)'),
}).superRefine(refuseBothSignings).superRefine((b, ctx) => {
  if (b.retryFailedOf != null && b.q != null && b.q !== '') ctx.addIssue({ code: 'custom', path: ['retryFailedOf'], message: 'give either q or retryFailedOf, not both' });
}).openapi('BulkReplayRequest');

export const ForwardRetryRequest = z.strictObject({
  target: z.string().min(1).max(MAX_URL).describe('a forward target as GET /api/forwarding shows it'),
}).openapi('ForwardRetryRequest');

export const SendRequest = z.strictObject({
  to: z.string().max(MAX_URL).nullish().describe('target URL; default: this inspector\'s receiver'),
  token: token(),
  types: z.array(z.string().max(100)).max(100).nullish().describe('event types to send'),
  category: z.string().max(100).nullish().describe('every event type of this category (any naming form)'),
  all: z.boolean().nullish().describe('every documented event type'),
  count: int(1, 1000).nullish().describe('events per type, default 1'),
  seed: int(0, 4_294_967_295).nullish(),
  categoryForm: z.enum(['display', 'slug', 'legacy']).nullish(),
  tamper: TamperKind.nullish(),
  concurrency: int(1, 16).nullish().describe('default 4'),
  jobId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 characters of A-Z, a-z, 0-9, _ or -').nullish()
    .describe('client-chosen job id: progress goes out as `job` stream messages and POST /api/jobs/{id}/stop stops it'),
}).openapi('SendRequest');

export const ForwardingUpdate = z.strictObject({
  enabled: z.boolean().nullish(),
  targets: z.array(deliveryTarget()).max(10).nullish(),
  token: z.string().max(1000).nullable().optional().describe('sign afresh with this token; null: forward unsigned'),
  keepSignature: z.boolean().nullish(),
  format: TransportFormat.nullable().optional().describe('payload for SIEM targets; null: each target\'s default'),
  hecToken: z.string().max(4096).nullable().optional().describe('Splunk HEC token, held in memory for forwarding only, never answered back; null clears it'),
  hecAck: z.boolean().nullish(),
  elasticApiKey: z.string().max(4096).nullable().optional().describe('Elasticsearch API key, held like hecToken'),
  batchMs: int(0, 10_000).nullish().describe('how long a SIEM target\'s batch waits for company, ms (0: no wait)'),
}).superRefine(refuseBothSignings).openapi('ForwardingUpdate');

export const CheckRequest = z.strictObject({
  url: targetUrl('the connector URL'),
  token: z.string().min(1, 'required: the webhook token the connector verifies with').max(1024),
  timeoutMs: int(CHECK_LIMITS.timeoutMs.min, CHECK_LIMITS.timeoutMs.max).optional(),
  burst: int(CHECK_LIMITS.burst.min, CHECK_LIMITS.burst.max).optional(),
  expectReject: z.array(int(CHECK_LIMITS.status.min, CHECK_LIMITS.status.max)).min(1).max(20).optional().describe('statuses that count as refusing a bad signature, default [401, 403]'),
  largeSize: int(CHECK_LIMITS.largeSize.min, CHECK_LIMITS.largeSize.max).optional(),
  only: z.string().max(200).optional().describe('only scenarios whose id or name contains one of these comma-separated words'),
  through: z.enum(SINK_KINDS).nullish().describe('also judge what the connector writes into this sink of the running inspector'),
  sinkWaitMs: int(CHECK_LIMITS.sinkWaitMs.min, CHECK_LIMITS.sinkWaitMs.max).optional().describe('with through: how long to wait for the last events to reach the sink, ms (default 10000)'),
}).openapi('CheckRequest');
