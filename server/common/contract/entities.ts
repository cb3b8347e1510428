// The API's answers as schemas: each one is checked at compile time to describe exactly the
// type in protocol.ts that the server returns and the UI reads, and the OpenAPI document is
// generated from them (components/schemas, by these names).
import { z } from '@hono/zod-openapi';
import type * as P from '../protocol.ts';

/** True when A and B are the same type (not merely assignable one way). */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const iso = () => z.string().describe('ISO 8601 timestamp');
const headerList = () => z.array(z.tuple([z.string(), z.string()])).describe('[name, value] pairs in received order, repeats kept');

export const SignatureVerdict = z.enum(['valid', 'invalid', 'missing', 'malformed', 'unchecked']).openapi('SignatureVerdict');
export const UserAgentVerdict = z.enum(['ok', 'mismatch', 'missing']).openapi('UserAgentVerdict');
export const BodyKind = z.enum(['json', 'invalid-json', 'text', 'binary', 'empty']).openapi('BodyKind');
export const TamperKind = z.enum(['body', 'signature', 'missing-signature', 'user-agent', 'malformed-json']).openapi('TamperKind');

export const Finding = z.object({
  code: z.string(), severity: z.enum(['error', 'warning', 'info']), message: z.string(),
}).openapi('Finding');

export const SignatureDetail = z.object({
  verdict: SignatureVerdict, headers: z.array(z.string()), matchedToken: z.number().int().nullable(),
  tokenCount: z.number().int(), reason: z.string(), uppercaseHex: z.boolean(),
}).openapi('SignatureDetail');

const LatestOutcome = z.object({ outcome: z.enum(['ok', 'failed']), status: z.number().int().nullable() }).openapi('LatestOutcome');
const summaryShape = {
  id: z.number().int(), receivedAt: iso(), method: z.string(), path: z.string(),
  category: z.string().nullable(), categoryFacet: z.string().nullable(), eventType: z.string().nullable(),
  sensitivity: z.string().nullable(), title: z.string().nullable(), signature: SignatureVerdict, userAgent: UserAgentVerdict,
  size: z.number().int(), status: z.number().int(), bodyKind: BodyKind, refused: z.string().nullable(),
  findingCount: z.number().int(), duplicateOf: z.number().int().nullable(),
  replay: LatestOutcome.nullable().describe('latest replay attempt (null: never replayed)'),
  forward: LatestOutcome.nullable().describe('latest forward attempt (null: never forwarded)'),
  importedAt: iso().nullable().optional().describe('set when the delivery came in by `import`: its verdicts were made at receipt, by the receiver that first took it'),
};
export const DeliverySummary = z.object(summaryShape).openapi('DeliverySummary');

export const AttemptSent = z.object({
  signing: z.enum(['fresh', 'kept', 'none']).describe('fresh: signed now with a token; kept: the received x-soveren-signature verbatim; none: no signature header'),
  format: z.enum(['soveren', 'ocsf', 'ecs', 'cef', 'hec']).describe('payload sent: the webhook body or a SIEM mapping'),
  editedBody: z.string().nullable().describe('replay with changes: the edited body as sent; null: the stored bytes'),
  editedSha256: z.string().nullable().describe('SHA-256 (hex) of the edited body'),
}).openapi('AttemptSent');

export const Attempt = z.object({
  id: z.number().int(), kind: z.enum(['send', 'replay', 'forward', 'check']), target: z.string(),
  status: z.number().int().nullable(), ok: z.boolean(), durationMs: z.number(), error: z.string().nullable(),
  at: iso(), responseHeaders: headerList(), responseBody: z.string().nullable(),
  sent: AttemptSent.nullable().describe('what was sent (null: recorded before this was kept)'),
}).openapi('Attempt');

export const SinkKind = z.enum(['hec', 'elastic', 'syslog', 'http']).openapi('SinkKind');
const outputShape = {
  id: z.number().int(), sink: SinkKind, receivedAt: iso(), transport: z.string().describe('http, tcp or udp'),
  path: z.string(), deliveryId: z.number().int().nullable(), linkRule: z.enum(['event_link', 'title_time', 'body_hash']).nullable(),
  linkNote: z.string().nullable(), title: z.string().nullable(), eventType: z.string().nullable(), eventTime: z.string().nullable(),
  size: z.number().int(), summary: z.record(z.string(), z.string()).describe('a few parsed fields, as text'),
};
export const OutputSummary = z.object(outputShape).openapi('OutputSummary');
export const OutputDetail = z.object({
  ...outputShape, method: z.string().nullable(), remoteAddress: z.string().nullable(), headers: headerList(),
  bodyText: z.string().nullable(), bodyBase64: z.string(), bodySha256: z.string(),
  fields: z.unknown().describe('what the sink parsed: the document, the HEC envelope, syslog header and CEF fields'),
  latencyMs: z.number().nullable(),
}).openapi('OutputDetail');
export const OutputPage = z.object({ items: z.array(OutputSummary), next: z.number().int().nullable() }).openapi('OutputPage');
export const OutputComparison = z.object({
  format: z.enum(['ocsf', 'ecs', 'cef', 'hec']),
  reference: z.unknown().describe('the reference mapping\'s output; null with a `reason` when there is none'),
  rows: z.array(z.object({ field: z.string(), expected: z.string().nullable(), actual: z.string().nullable(), state: z.enum(['same', 'differs', 'missing', 'extra']) })),
  reason: z.string().nullable(),
}).openapi('OutputComparison');
export const SinkHealth = z.object({
  sinkUrl: z.string(), syslogAddress: z.string(), tokenRequired: z.boolean(), outputs: z.number().int(),
  lastOutputId: z.number().int(), outputsPruned: z.number().int(), maxOutputs: z.number().int(),
}).openapi('SinkHealth');

export const DeliveryDetail = z.object({
  ...summaryShape,
  query: z.string(), headers: headerList(), bodyText: z.string().nullable(), bodyBase64: z.string(), bodySha256: z.string(),
  contentType: z.string().nullable(), remoteAddress: z.string().nullable(), eventTime: z.string().nullable(),
  signatureDetail: SignatureDetail, userAgentValue: z.string().nullable(), findings: z.array(Finding), attempts: z.array(Attempt),
  outputs: z.array(OutputSummary).optional().describe('SIEM outputs linked to this delivery, oldest first'),
}).openapi('DeliveryDetail');

export const DeliveryPage = z.object({ items: z.array(DeliverySummary), next: z.number().int().nullable() }).openapi('DeliveryPage');

const FacetCount = z.object({ value: z.string(), count: z.number().int() }).openapi('FacetCount');
export const Facets = z.object({
  total: z.number().int(), category: z.array(FacetCount), eventType: z.array(FacetCount), sensitivity: z.array(FacetCount),
  signature: z.array(FacetCount), userAgent: z.array(FacetCount), path: z.array(FacetCount),
}).openapi('Facets');

export const Histogram = z.object({
  bucketMs: z.number().int(),
  buckets: z.array(z.object({ start: z.number().int(), counts: z.record(z.string(), z.number().int()) })),
}).openapi('Histogram');

export const ReceiverResponseSetting = z.object({
  status: z.number().int().describe('status for accepted deliveries'), delayMs: z.number().int().describe('delay before answering, ms'),
}).openapi('ReceiverResponseSetting');

export const Health = z.object({
  ok: z.literal(true), version: z.string(), receiverUrl: z.string(), uiUrl: z.string(), deliveries: z.number().int(),
  lastId: z.number().int(), maxDeliveries: z.number().int(), pruned: z.number().int(), tokenCount: z.number().int(),
  requireUserAgent: z.boolean(), acceptInvalid: z.boolean(), maxBody: z.number().int(), durability: z.enum(['normal', 'full']),
  response: ReceiverResponseSetting, sinks: SinkHealth.optional(),
}).openapi('Health');

export const JobStatus = z.object({
  id: z.string(), kind: z.enum(['replay', 'send']), state: z.enum(['running', 'done', 'stopped']),
  total: z.number().int(), done: z.number().int(), ok: z.number().int(), failed: z.number().int(),
  target: z.string(), startedAt: iso(), finishedAt: iso().nullable(),
}).openapi('JobStatus');

export const SendResult = z.object({
  index: z.number().int(), eventType: z.string(), status: z.number().int().nullable(), ok: z.boolean(),
  durationMs: z.number(), error: z.string().nullable(), deliveryId: z.number().int().nullable(),
}).openapi('SendResult');

export const SendSummary = z.object({
  target: z.string(), sent: z.number().int(), ok: z.number().int(), failed: z.number().int(),
  p50Ms: z.number().nullable(), p99Ms: z.number().nullable(), statuses: z.record(z.string(), z.number().int()),
  signed: z.boolean(), seed: z.number().int(), tamper: TamperKind.nullable(), acceptedTampered: z.number().int(),
  expected: z.string().nullable().describe('with tamper: the answer the check\'s rules expect ("401 or 403", "4xx", "noted")'),
  mismatches: z.number().int().describe('with tamper: answers that contradict `expected`'),
  passed: z.boolean(), warnings: z.array(z.string()),
}).openapi('SendSummary');

export const SendResponse = z.object({ summary: SendSummary, results: z.array(SendResult), job: JobStatus }).openapi('SendResponse');

export const ForwardTargetHealth = z.object({
  url: z.string(), lastSuccessAt: iso().nullable(), lastFailureAt: iso().nullable(), lastError: z.string().nullable(),
  lastStatus: z.number().int().nullable(), consecutiveFailures: z.number().int().describe('deliveries failed in a row since the last success'),
  failingSince: iso().nullable().describe('first failed try since the last success; failed at failingSince + failAfterMs'),
  failing: z.boolean(), queued: z.number().int(),
  inFlight: z.number().int(), forwarded: z.number().int(), failed: z.number().int().describe('deliveries whose last try failed'),
  retries: z.number().int().describe('tries beyond the first, shown apart from failures'), dropped: z.number().int(),
  format: z.enum(['soveren', 'ocsf', 'ecs', 'cef']).describe('payload this target gets'),
}).openapi('ForwardTargetHealth');

export const ForwardRetry = z.object({
  queued: z.number().int().describe('failed deliveries queued again for the target'),
  q: z.string().describe('the search that selected them (show the failed ones)'),
}).openapi('ForwardRetry');

export const ForwardingState = z.object({
  enabled: z.boolean(), signing: z.enum(['token', 'keep', 'none']),
  tokenSource: z.enum(['receiver', 'given']).nullable().describe('with signing token: the receiver\'s own token (the default for new targets) or one given for forwarding'),
  failAfterMs: z.number().int(), concurrency: z.number().int(),
  retries: z.number().int(),
  format: z.enum(['soveren', 'ocsf', 'ecs', 'cef']).nullable().describe('payload for SIEM targets; null: each target\'s default'),
  siem: z.object({ hecTokenSet: z.boolean(), hecAck: z.boolean(), elasticApiKeySet: z.boolean() }).describe('which SIEM secrets are held (never their values)'),
  batchMs: z.number().int().describe('how long a SIEM target\'s first queued delivery waits for others to share its batch (ms)'),
  targets: z.array(ForwardTargetHealth),
}).openapi('ForwardingState');

const CheckGroup = z.enum(['category', 'event_type', 'compatibility', 'retry', 'signature', 'json', 'user-agent', 'large', 'burst', 'siem']);
const scenarioShape = { id: z.string(), name: z.string(), group: CheckGroup, required: z.boolean(), expected: z.string() };
export const CheckScenarioInfo = z.object(scenarioShape).openapi('CheckScenarioInfo');

const CheckLatency = z.object({ count: z.number().int(), p50Ms: z.number(), p99Ms: z.number(), maxMs: z.number() });
const CheckExchange = z.object({
  request: z.object({ method: z.string(), url: z.string(), headers: headerList(), body: z.string(), bodyBytes: z.number().int(), bodyTruncated: z.boolean() }),
  response: z.object({ status: z.number().int(), headers: headerList(), body: z.string().describe('the first 4 KiB') }).nullable(),
  error: z.string().nullable(),
  curl: z.string().nullable().describe('a curl command that sends the same request again (null when the body was too large to keep)'),
}).openapi('CheckExchange');
export const CheckResult = z.object({
  ...scenarioShape, got: z.string(), outcome: z.enum(['pass', 'fail', 'info']), reason: z.string().nullable(),
  durationMs: z.number(), latency: CheckLatency.nullable(),
  exchange: CheckExchange.nullable().optional().describe('for a failed or noted scenario: the request it judged and the answer'),
}).openapi('CheckResult');

const CheckSettings = z.object({
  timeoutMs: z.number().int(), burst: z.number().int(), expectReject: z.array(z.number().int()), largeSize: z.number().int(), only: z.string().nullable(),
  through: z.enum(['hec', 'elastic', 'syslog', 'http']).optional().describe('the SIEM sink the connector writes to (end-to-end scenarios)'),
  sinkWaitMs: z.number().int().optional(),
});
const runShape = {
  id: z.number().int(), source: z.enum(['ui', 'cli']).describe('the UI\'s Check dialog, or `check --db FILE` from a terminal'),
  url: z.string(), state: z.enum(['running', 'passed', 'failed', 'interrupted']),
  startedAt: iso(), finishedAt: iso().nullable(), planned: z.array(CheckScenarioInfo),
  counts: z.object({ total: z.number().int(), passed: z.number().int(), failed: z.number().int(), info: z.number().int() }),
  settings: CheckSettings,
};
export const CheckRunSummary = z.object(runShape).openapi('CheckRunSummary');
export const CheckRun = z.object({ ...runShape, results: z.array(CheckResult) }).openapi('CheckRun');
export const CheckRunPage = z.object({ items: z.array(CheckRunSummary), next: z.number().int().nullable() }).openapi('CheckRunPage');

export const StreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), lastId: z.number().int(), total: z.number().int(), pruned: z.number().int() }).describe('First message: where the store stands.'),
  z.object({ type: z.literal('delivery'), delivery: DeliverySummary }).describe('One delivery, from the backlog after `since` or live.'),
  z.object({ type: z.literal('live'), lastId: z.number().int() }).describe('The backlog has been sent; what follows is live.'),
  z.object({ type: z.literal('deleted'), ids: z.union([z.array(z.number().int()), z.literal('all')]) }).describe('Deliveries were deleted.'),
  z.object({ type: z.literal('attempt'), deliveryId: z.number().int(), attempt: Attempt }).describe('A replay, forward or send try was recorded.'),
  z.object({ type: z.literal('heartbeat'), at: iso() }).describe('Keeps idle connections open.'),
  z.object({ type: z.literal('resync'), reason: z.string() }).describe('The client fell too far behind and should refetch from the API.'),
  z.object({ type: z.literal('job'), job: JobStatus }).describe('Progress of a bulk job (throttled; always sent on a state change).'),
  z.object({ type: z.literal('check-run'), run: CheckRunSummary }).describe('A conformance check run started or finished.'),
  z.object({ type: z.literal('check'), runId: z.number().int(), result: CheckResult }).describe('One scenario of a running check finished.'),
  z.object({ type: z.literal('output'), output: OutputSummary }).describe('A SIEM sink committed an output.'),
  z.object({ type: z.literal('outputs-deleted'), ids: z.union([z.array(z.number().int()), z.literal('all')]) }).describe('SIEM outputs were deleted.'),
]).openapi('StreamMessage');

/** Every error answer; `issues` names each bad field of a request that failed validation. */
export const ApiErrorBody = z.object({
  error: z.string().describe('what went wrong, in words'),
  issues: z.array(z.object({ path: z.string().describe('the field, e.g. `targets.2` or `limit`'), message: z.string() })).optional(),
}).openapi('ApiError');

/** Compile-time proof that each schema describes exactly its protocol.ts type. */
export type SchemasMatchProtocol = [
  Expect<Same<z.infer<typeof DeliverySummary>, P.DeliverySummary>>,
  Expect<Same<z.infer<typeof DeliveryDetail>, P.DeliveryDetail>>,
  Expect<Same<z.infer<typeof DeliveryPage>, P.DeliveryPage>>,
  Expect<Same<z.infer<typeof Facets>, P.Facets>>,
  Expect<Same<z.infer<typeof Histogram>, P.Histogram>>,
  Expect<Same<z.infer<typeof Health>, P.Health>>,
  Expect<Same<z.infer<typeof Attempt>, P.Attempt>>,
  Expect<Same<z.infer<typeof JobStatus>, P.JobStatus>>,
  Expect<Same<z.infer<typeof SendResponse>, P.SendResponse>>,
  Expect<Same<z.infer<typeof ForwardingState>, P.ForwardingState>>,
  Expect<Same<z.infer<typeof ForwardRetry>, P.ForwardRetry>>,
  Expect<Same<z.infer<typeof CheckScenarioInfo>, P.CheckScenarioInfo>>,
  Expect<Same<z.infer<typeof CheckRunSummary>, P.CheckRunSummary>>,
  Expect<Same<z.infer<typeof CheckRun>, P.CheckRun>>,
  Expect<Same<z.infer<typeof CheckRunPage>, P.CheckRunPage>>,
  Expect<Same<z.infer<typeof ReceiverResponseSetting>, P.ReceiverResponseSetting>>,
  Expect<Same<z.infer<typeof StreamMessage>, P.StreamMessage>>,
  Expect<Same<z.infer<typeof OutputDetail>, P.OutputDetail>>,
  Expect<Same<z.infer<typeof SinkHealth>, P.SinkHealth>>,
  Expect<Same<z.infer<typeof OutputComparison>, P.OutputComparison>>,
];

/** GET /api/deliveries/{id}/siem/{format}: the reference mapping of one delivery. */
export const SiemMapping = z.object({
  format: z.enum(['ocsf', 'ecs', 'cef', 'hec']),
  output: z.union([z.record(z.string(), z.unknown()), z.string()]).describe('an object for OCSF, ECS and HEC; one line for CEF'),
  fields: z.array(z.object({ source: z.string(), target: z.string(), value: z.unknown() })),
  unmapped: z.array(z.object({ source: z.string(), value: z.unknown() })).describe('source fields the format has no field for'),
  unmappedTarget: z.string().describe('where the output keeps them'),
  findings: z.array(Finding),
}).openapi('SiemMapping');

/** GET /api/deliveries/{id}/signature: masked expected digests per configured token (never the tokens). */
export const SignatureExpectation = z.object({
  received: z.array(z.object({ masked: z.string(), length: z.number().int() })),
  expected: z.array(z.object({ token: z.number().int().describe('counts from 1, newest first'), masked: z.string(), matches: z.boolean() })),
  diagnosis: z.object({
    cause: z.enum(['body-changed', 'another-token', 'unknown']),
    reason: z.string().describe('the evidence, in words'),
    deliveryId: z.number().int().nullable().describe('the verified delivery that is the evidence, if any'),
  }).nullable().describe('for an invalid verdict: body changed since signing, or another token'),
}).openapi('SignatureExpectation');
