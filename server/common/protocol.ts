// Types shared by the server and the UI: answers, verdicts and stream messages (request
// bodies are the contract's schemas: common/contract/requests.ts).
// This file must import nothing at run time (the UI imports it for types only).

/** Signature verdict over the raw body; see DESIGN.md "Signature verdicts". */
export type SignatureVerdict = 'valid' | 'invalid' | 'missing' | 'malformed' | 'unchecked';

/** User-agent verdict against `SoverenWebhook/1.0`. */
export type UserAgentVerdict = 'ok' | 'mismatch' | 'missing';

/** What the stored body turned out to be. */
export type BodyKind = 'json' | 'invalid-json' | 'text' | 'binary' | 'empty';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One lint finding about a delivery (contract, body or header problem). */
export interface Finding {
  /** Stable machine code, e.g. `unknown_event_type`. */
  code: string;
  severity: FindingSeverity;
  /** Plain-words explanation for the UI. */
  message: string;
}

/** Why a signature verdict came out the way it did, in plain words. */
export interface SignatureDetail {
  verdict: SignatureVerdict;
  /** The x-soveren-signature value(s) exactly as received, in order. */
  headers: string[];
  /** Index of the configured token that matched (rotation), or null. */
  matchedToken: number | null;
  /** How many tokens were configured when the delivery arrived. */
  tokenCount: number;
  /** One sentence: "body differs from what was signed", "not sha256=<64 hex>", ... */
  reason: string;
  /** The hex digest was uppercase: verifies here, but strict receivers reject it. */
  uppercaseHex: boolean;
}

/** List-row view of a delivery; also what the stream pushes. */
export interface DeliverySummary {
  id: number;
  /** ISO timestamp of arrival. */
  receivedAt: string;
  method: string;
  path: string;
  /** Raw `category` value from the event, as sent. */
  category: string | null;
  /** Facet the category belongs to (all naming forms grouped), or null. */
  categoryFacet: string | null;
  eventType: string | null;
  sensitivity: string | null;
  title: string | null;
  signature: SignatureVerdict;
  userAgent: UserAgentVerdict;
  /** Body bytes received (declared size for refused bodies). */
  size: number;
  /** Status the receiver answered with. */
  status: number;
  bodyKind: BodyKind;
  /** Set when the body was refused unstored: `too_large`. */
  refused: string | null;
  findingCount: number;
  duplicateOf: number | null;
  /** Latest replay attempt of this delivery (null: never replayed). */
  replay: LatestOutcome | null;
  /** Latest forward attempt of this delivery (null: never forwarded). */
  forward: LatestOutcome | null;
  /**
   * Set when the delivery came in by `import` (ISO time of the import): its verdicts were made
   * at receipt, by the receiver that first took it, not by this inspector. Null or absent: received here.
   */
  importedAt?: string | null;
}

/** What became of the latest replay or forward attempt: `status` null when no answer came. */
export interface LatestOutcome {
  outcome: 'ok' | 'failed';
  status: number | null;
}

/** One outbound request made by the sender for a delivery. */
export interface Attempt {
  id: number;
  kind: 'send' | 'replay' | 'forward' | 'check';
  target: string;
  status: number | null;
  ok: boolean;
  durationMs: number;
  error: string | null;
  /** ISO timestamp of the start of the attempt. */
  at: string;
  responseHeaders: [string, string][];
  /** First 64 KiB of the response body, as text. */
  responseBody: string | null;
  /** What was sent; null for attempts recorded before this was kept. */
  sent: AttemptSent | null;
}

/**
 * What an attempt sent, beside its (redacted) target: how it was signed, in which payload
 * format, and for "replay with changes" the edited body and its SHA-256. Never a token.
 */
export interface AttemptSent {
  /** fresh: signed now with a token; kept: the received x-soveren-signature verbatim; none: no signature header (SIEM targets too). */
  signing: 'fresh' | 'kept' | 'none';
  /** soveren (the webhook body) or the SIEM payload sent (ocsf, ecs, cef, hec). */
  format: 'soveren' | 'ocsf' | 'ecs' | 'cef' | 'hec';
  /** The edited body as sent (UTF-8 text), or null when the stored bytes were sent. */
  editedBody: string | null;
  /** SHA-256 (hex) of the edited body; null when the stored bytes were sent. */
  editedSha256: string | null;
}

/** Full view of one delivery. */
export interface DeliveryDetail extends DeliverySummary {
  query: string;
  /** Headers in received order, repeated ones kept. */
  headers: [string, string][];
  /** Body as text when it is valid UTF-8, otherwise null. */
  bodyText: string | null;
  /** Exact bytes, always. */
  bodyBase64: string;
  bodySha256: string;
  contentType: string | null;
  remoteAddress: string | null;
  /** `time` field of the event, as sent. */
  eventTime: string | null;
  signatureDetail: SignatureDetail;
  userAgentValue: string | null;
  findings: Finding[];
  attempts: Attempt[];
  /** SIEM outputs linked to this delivery (issue 14), oldest first. */
  outputs?: OutputSummary[];
}

export interface DeliveryPage {
  items: DeliverySummary[];
  /** Cursor for `before`, or null at the end. */
  next: number | null;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface Facets {
  total: number;
  category: FacetCount[];
  eventType: FacetCount[];
  sensitivity: FacetCount[];
  signature: FacetCount[];
  userAgent: FacetCount[];
  path: FacetCount[];
}

/** Simulated answer the receiver gives to accepted deliveries. */
export interface ReceiverResponseSetting {
  /** Status for accepted deliveries (default 200). */
  status: number;
  /** Extra delay before answering, in ms. */
  delayMs: number;
}

export interface Health {
  ok: true;
  version: string;
  receiverUrl: string;
  uiUrl: string;
  deliveries: number;
  lastId: number;
  maxDeliveries: number;
  /** Deliveries removed by retention since the database was created. */
  pruned: number;
  tokenCount: number;
  requireUserAgent: boolean;
  acceptInvalid: boolean;
  maxBody: number;
  durability: 'normal' | 'full';
  response: ReceiverResponseSetting;
  /** The SIEM sinks and their outputs (issue 14). */
  sinks?: SinkHealth;
}

export interface ApiError {
  error: string;
}

/** Messages on `/api/stream`, one JSON object per WebSocket message. */
export type StreamMessage =
  | { type: 'hello'; lastId: number; total: number; pruned: number }
  | { type: 'delivery'; delivery: DeliverySummary }
  /** The backlog after `since` has been sent; what follows is live. */
  | { type: 'live'; lastId: number }
  | { type: 'deleted'; ids: number[] | 'all' }
  | { type: 'attempt'; deliveryId: number; attempt: Attempt }
  | { type: 'heartbeat'; at: string }
  /** The client fell too far behind; it should refetch from the API. */
  | { type: 'resync'; reason: string }
  /** Progress of a bulk job (POST /api/replay); throttled, and always sent on a state change. */
  | { type: 'job'; job: JobStatus }
  /** A conformance check run started or finished (POST /api/checks). */
  | { type: 'check-run'; run: CheckRunSummary }
  /** One scenario of a running conformance check finished. */
  | { type: 'check'; runId: number; result: CheckResult }
  /** SIEM outputs (issue 14): one the sinks committed, or outputs deleted. */
  | OutputStreamMessage;

/** Deliveries over time by category facet, for the chart above the list. */
export interface Histogram {
  /** Width of one bucket in ms. */
  bucketMs: number;
  /** Oldest first; `start` is an epoch-ms bucket start. */
  buckets: { start: number; counts: Record<string, number> }[];
}

// ---- Sender (test events, replay, live forwarding, export). Routes on the UI listener;
// mutating ones are JSON POST/PUT. Tokens sent to these routes are used for signing only:
// never echoed back, logged or stored.

/** How an outbound request is signed: fresh HMAC with a token, the stored header verbatim, or not at all. */
export type SigningMode = 'token' | 'keep' | 'none';

/** Deliberately faulty deliveries for `send --tamper` and POST /api/send. */
export type TamperKind = 'body' | 'signature' | 'missing-signature' | 'user-agent' | 'malformed-json';

/** A bulk job: GET /api/jobs, GET /api/jobs/:id, POST /api/jobs/:id/stop (body `{}`). */
export interface JobStatus {
  id: string;
  /** 'replay': POST /api/replay; 'send': POST /api/send (answered when it ends). */
  kind: 'replay' | 'send';
  state: 'running' | 'done' | 'stopped';
  total: number;
  done: number;
  ok: number;
  failed: number;
  /** Target URL with any user:password removed. */
  target: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface SendResult {
  index: number;
  eventType: string;
  status: number | null;
  /** 2xx. */
  ok: boolean;
  durationMs: number;
  error: string | null;
  /** Id of the stored delivery when the target was this inspector's receiver. */
  deliveryId: number | null;
}

export interface SendSummary {
  target: string;
  sent: number;
  ok: number;
  failed: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Count per answer status ("error" for no answer). */
  statuses: Record<string, number>;
  signed: boolean;
  seed: number;
  tamper: TamperKind | null;
  /** Tampered deliveries answered 2xx (for user-agent this is fine: it is only noted). */
  acceptedTampered: number;
  /** With tamper: what the receiver should answer, by the check's rules ("401 or 403", "4xx", "noted"). */
  expected: string | null;
  /** With tamper: answers that contradict `expected` (a user-agent variant never does). */
  mismatches: number;
  /** true when the run went as it should (the CLI exits 0). */
  passed: boolean;
  warnings: string[];
}

export interface SendResponse {
  /** Over the requests actually made: after a stop, fewer than planned. */
  summary: SendSummary;
  results: SendResult[];
  /** The send's job as it ended: state 'stopped' when it was stopped early. */
  job: JobStatus;
}

/** Payload a delivery target carries: the Soveren webhook body, or a SIEM mapping. */
export type TransportFormat = 'soveren' | 'ocsf' | 'ecs' | 'cef';

/** Health of one live-forwarding target, as Soveren shows its own webhook. */
export interface ForwardTargetHealth {
  /** With any user:password removed. */
  url: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  lastStatus: number | null;
  /** Deliveries (not tries) that failed in a row since the last success. */
  consecutiveFailures: number;
  /** Start of the first failed try since the last success (null: not failing); failed at `failingSince + failAfterMs`. */
  failingSince: string | null;
  /** No success for `failAfterMs` since the first failure after the last success. */
  failing: boolean;
  queued: number;
  inFlight: number;
  /** Deliveries forwarded successfully. */
  forwarded: number;
  /** Deliveries whose last try failed: the one failure count, in deliveries. */
  failed: number;
  /** Tries beyond the first (with --forward-retries), whatever their outcome: shown apart from failures. */
  retries: number;
  /** Deliveries not forwarded because the queue was full. */
  dropped: number;
  /** Payload this target gets: soveren (the webhook), or ocsf / ecs / cef for a SIEM target. */
  format: TransportFormat;
}

/** GET /api/forwarding; PUT /api/forwarding with ForwardingUpdate answers the new state. */
export interface ForwardingState {
  enabled: boolean;
  signing: SigningMode;
  /** With signing `token`: whose token signs, the receiver's own (the default for new targets) or one given for forwarding. */
  tokenSource: 'receiver' | 'given' | null;
  failAfterMs: number;
  concurrency: number;
  retries: number;
  /** Payload chosen for SIEM targets; null: each target's default (hec+ soveren, elastic+ ecs, syslog+ cef). */
  format: TransportFormat | null;
  /** Which SIEM secrets are held (never their values). */
  siem: { hecTokenSet: boolean; hecAck: boolean; elasticApiKeySet: boolean };
  /** How long a SIEM target's first queued delivery waits for others to share its batch (ms). */
  batchMs: number;
  targets: ForwardTargetHealth[];
}

/** POST /api/forwarding/retry: the target's failed deliveries queued again. */
export interface ForwardRetry {
  queued: number;
  /** The search that selected them. */
  q: string;
}

/** `token: null` forwards unsigned; `keepSignature: true` sends the received header verbatim. */
export interface ForwardingUpdate {
  enabled?: boolean;
  /** http(s)://, hec+http(s)://, elastic+http(s)://host/index or syslog+tcp|udp|tls:// URLs. */
  targets?: string[];
  token?: string | null;
  keepSignature?: boolean;
  /** Payload for SIEM targets; null: each target's default. */
  format?: TransportFormat | null;
  /** Splunk HEC token, held in memory for forwarding only, never answered back; null clears it. */
  hecToken?: string | null;
  hecAck?: boolean;
  /** Elasticsearch API key, held like hecToken. */
  elasticApiKey?: string | null;
  /** How long a SIEM target's batch waits for company, ms (0: no wait). */
  batchMs?: number | null;
}

/** One line of `export --format ndjson`, read back by `import`. */
export interface ExportedDelivery extends Omit<DeliveryDetail, 'attempts' | 'importedAt'> {
  format: 'soveren-inspector.delivery/1';
  /**
   * The delivery's replay, forward and send attempts, oldest first: every column of the
   * attempts table in camelCase (so columns added later travel too), `at` as ISO time, `ok`
   * a boolean, `responseHeaders` a list. Ids are left out; `import` gives new ones. Never a token.
   */
  attempts?: ExportedAttempt[];
}

/**
 * One attempt in an NDJSON export (see ExportedDelivery.attempts): the attempt without its
 * local id, and the columns added after these (what was sent, its format...) flat, as
 * stored: text, number or null.
 */
export type ExportedAttempt = Omit<Attempt, 'id' | 'sent'> & { [column: string]: unknown };

// ---- Conformance check (`check` command, POST /api/checks): scenarios sent to the user's
// connector, each with an expectation. The token signs requests only: it is never
// stored, echoed or logged.

/** pass/fail for required scenarios; info for scenarios reported but never failing a run. */
export type CheckOutcome = 'pass' | 'fail' | 'info';

export type CheckGroup =
  | 'category' | 'event_type' | 'compatibility' | 'retry' | 'signature' | 'json' | 'user-agent' | 'large' | 'burst'
  /** `check --through`: what reached the SIEM sinks. */
  | 'siem';

/** A scenario as listed before it runs (GET /api/checks/scenarios, `check --list`). */
export interface CheckScenarioInfo {
  /** Stable id, e.g. `signature-other-token`; `--only` matches ids and names. */
  id: string;
  /** What it probes, in words ("signature made with another token is refused"). */
  name: string;
  group: CheckGroup;
  /** false: reported for information, never fails the run. */
  required: boolean;
  /** "2xx", "401 or 403", "4xx, never 5xx", ... */
  expected: string;
}

export interface CheckLatency {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface CheckResult extends CheckScenarioInfo {
  /** What the connector answered: "200", "500", "timed out after 10000 ms", "20/20 2xx". */
  got: string;
  outcome: CheckOutcome;
  /** Why it failed, or what was noted, in plain words; null on a plain pass. */
  reason: string | null;
  /** Latency of the request (the slowest one when the scenario sends several). */
  durationMs: number;
  /** Percentiles over many requests (the burst), otherwise null. */
  latency: CheckLatency | null;
  /** For a failed or noted scenario: the request it judged and the connector's answer. */
  exchange?: CheckExchange | null;
}

/**
 * One request of a scenario and what came back: the one that decided the verdict (the
 * failing one of several). The token is never in it: the signature header is an HMAC.
 */
export interface CheckExchange {
  request: {
    method: string;
    /** The connector URL, without user:password. */
    url: string;
    headers: [string, string][];
    /** The body as text, up to CHECK_EXCHANGE_BODY_BYTES. */
    body: string;
    /** Bytes of the whole body. */
    bodyBytes: number;
    bodyTruncated: boolean;
  };
  /** null: no HTTP answer (`error` says why). */
  response: { status: number; headers: [string, string][]; /** First 4 KiB, as text. */ body: string } | null;
  error: string | null;
  /** A curl command that sends exactly this request again; null when the body was too large to keep. */
  curl: string | null;
}

/** Settings of a run as stored and shown (never the token). */
export interface CheckSettings {
  timeoutMs: number;
  burst: number;
  /** Statuses that count as a refusal of a bad signature (default 401, 403). */
  expectReject: number[];
  largeSize: number;
  only: string | null;
  /** The SIEM sink the connector writes to: the run adds the siem-* results (`check --through`, the UI's Check dialog). */
  through?: SinkKind;
  /** With `through`: how long to wait for the last events to reach the sink, ms. */
  sinkWaitMs?: number;
}

export interface CheckCounts {
  total: number;
  passed: number;
  failed: number;
  info: number;
}

export interface CheckRunSummary {
  id: number;
  /** Who ran it: the UI's Check dialog (POST /api/checks) or `check --db FILE` from a terminal. */
  source: 'ui' | 'cli';
  /** Connector URL with any user:password removed. */
  url: string;
  /** passed: every required scenario passed; interrupted: the inspector stopped mid-run. */
  state: 'running' | 'passed' | 'failed' | 'interrupted';
  startedAt: string;
  finishedAt: string | null;
  /** Scenarios the run was started with, in order. */
  planned: CheckScenarioInfo[];
  counts: CheckCounts;
  settings: CheckSettings;
}

/** GET /api/checks/:id. */
export interface CheckRun extends CheckRunSummary {
  results: CheckResult[];
}

/** GET /api/checks: newest first; `before` is the id cursor. */
export interface CheckRunPage {
  items: CheckRunSummary[];
  next: number | null;
}

/** `check --json`: the whole run, machine-readable. */
export interface CheckReport {
  format: 'soveren-inspector.check/1';
  url: string;
  /** Every required scenario passed (the CLI exits 0). */
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  settings: CheckSettings;
  counts: CheckCounts;
  scenarios: CheckResult[];
}

/** One cell of the coverage table: how many, and the search (`q`) that lists them. */
export interface CoverageCell {
  count: number;
  query: string;
}

/** Attempts of one kind to one target for one event type. */
export interface CoverageOutcomes {
  ok: CoverageCell;
  failed: CoverageCell;
}

/** One event type's row of `GET /api/coverage`. */
export interface CoverageRow {
  eventType: string;
  /** Category facet: the documented one, or (unknown types) the facet it arrived with. */
  category: string;
  /** One of the 29 documented types. */
  known: boolean;
  /** Every stored delivery of this type. */
  received: CoverageCell;
  /** From a real sender: user agent ok and signature valid or unchecked, not made by the built-in sender. */
  real: CoverageCell;
  /** Made by the built-in sender (its `send` attempts, from the UI into this receiver). */
  sent: CoverageCell;
  /** Replay and forward attempts per target, in `Coverage.targets` order (attempts, not deliveries). */
  targets: { target: string; replay: CoverageOutcomes; forward: CoverageOutcomes }[];
  /** This type's scenario in the latest finished check run, or null (none run, or not in it). */
  check: { runId: number; outcome: CheckOutcome; got: string } | null;
  /** Deliveries of this type whose outputs reached a SIEM sink: any sink, then per sink in `Coverage.sinks` order. */
  siem: { any: CoverageCell; sinks: { sink: string; reached: CoverageCell }[] };
}

export interface CoverageCategory {
  facet: string;
  /** Display form ("Data at risk"), or the facet itself for an unknown category. */
  label: string;
  rows: CoverageRow[];
}

/** `GET /api/coverage`: the 29 documented types (and unknown ones seen) by category. */
export interface Coverage {
  /** Every replay / forward target seen in attempts (credentials removed), sorted. */
  targets: string[];
  lastCheck: { id: number; url: string; state: string; finishedAt: string | null } | null;
  /** SIEM sinks that received outputs linked to deliveries (hec, elastic, syslog, http), sorted. */
  sinks: string[];
  categories: CoverageCategory[];
}

// ---- SIEM sinks (issue 14): what the connector wrote into the SIEM side, as outputs.

/** Which sink took an output. */
export type SinkKind = 'hec' | 'elastic' | 'syslog' | 'http';
/** How an output was linked to its delivery: event link/id, then title + time, then body hash. */
export type OutputLinkRule = 'event_link' | 'title_time' | 'body_hash';

export interface OutputSummary {
  id: number;
  sink: SinkKind;
  /** ISO timestamp of arrival. */
  receivedAt: string;
  /** http, tcp or udp. */
  transport: string;
  /** Request path (HTTP sinks) or the transport (syslog). */
  path: string;
  deliveryId: number | null;
  linkRule: OutputLinkRule | null;
  /** Why nothing matched, or what matched. */
  linkNote: string | null;
  title: string | null;
  eventType: string | null;
  /** ISO time the output carries, when one was found. */
  eventTime: string | null;
  size: number;
  /** A few parsed fields (index, sourcetype, CEF name, severity...), as text. */
  summary: Record<string, string>;
}

export interface OutputDetail extends OutputSummary {
  method: string | null;
  remoteAddress: string | null;
  /** As received, credentials redacted. */
  headers: [string, string][];
  bodyText: string | null;
  bodyBase64: string;
  bodySha256: string;
  /** What the sink parsed: the document, the HEC envelope, syslog header and CEF fields. */
  fields: unknown;
  /** From the linked delivery's receipt to this output, ms (null when unlinked or gone). */
  latencyMs: number | null;
}

export interface SinkHealth {
  /** Base URL of the HTTP sink (HEC, Elasticsearch, generic JSON). */
  sinkUrl: string;
  /** host:port of the syslog sink (TCP and UDP). */
  syslogAddress: string;
  /** False: any token is accepted (no --sink-token). */
  tokenRequired: boolean;
  outputs: number;
  lastOutputId: number;
  /** Outputs removed by retention (--max-deliveries) since the database was created. */
  outputsPruned: number;
  maxOutputs: number;
}

/** GET /api/outputs/:id/compare: the output beside the reference mapping of its delivery. */
export interface OutputComparison {
  format: 'ocsf' | 'ecs' | 'cef' | 'hec';
  /** The reference mapping's output; null with a `reason` when there is none. */
  reference: unknown;
  rows: { field: string; expected: string | null; actual: string | null; state: 'same' | 'differs' | 'missing' | 'extra' }[];
  reason: string | null;
}

export interface OutputPage {
  items: OutputSummary[];
  next: number | null;
}

export type OutputStreamMessage = { type: 'output'; output: OutputSummary } | { type: 'outputs-deleted'; ids: number[] | 'all' };

/** One field an event type carries, as `GET /api/event-types` lists it. */
export interface EventFieldInfo {
  name: string;
  /** JSON type: string, number, boolean, string[], object, object[]. */
  type: string;
  /** Present in every event of this type the built-in sender makes (Soveren may still omit any field). */
  always: boolean;
  example: unknown;
}

/** `GET /api/event-types`: what one documented event type is. */
export interface EventTypeReference {
  eventType: string;
  category: string;
  categoryLabel: string;
  description: string;
  /** How its `title` reads; `{placeholder}` marks a value from the event. */
  titleTemplates: string[];
  /** The templates are quoted from Soveren's docs (otherwise modelled on them). */
  templateDocumented: boolean;
  fields: EventFieldInfo[];
  /** A whole event of this type, as the built-in sender makes it. */
  example: Record<string, unknown>;
}

/**
 * GET /api/deliveries/:id/signature: the `sha256=` each token configured now would give the
 * stored body, masked (first 6 and last 4 hex digits), beside each received header value,
 * masked the same way. Never the tokens, never a whole expected digest.
 */
export interface SignatureExpectation {
  received: { masked: string; length: number }[];
  /** In configured order, newest first; `token` counts from 1. */
  expected: { token: number; masked: string; matches: boolean }[];
  /** For an `invalid` verdict: changed body or another token, and why (null for other verdicts). */
  diagnosis: SignatureDiagnosis | null;
}

/** Why a signature is invalid, as far as the stored data can tell. */
export interface SignatureDiagnosis {
  cause: 'body-changed' | 'another-token' | 'unknown';
  /** In words: the evidence, and what it means. */
  reason: string;
  /** The delivery that is the evidence (a verified sibling), if any. */
  deliveryId: number | null;
}

// ---- SIEM mappings (GET /api/deliveries/:id/siem/:format): one delivery as OCSF, ECS,
// CEF or a Splunk HEC envelope, for the detail pane's SIEM tabs.

export type SiemFormatName = 'ocsf' | 'ecs' | 'cef' | 'hec';

/** One source field -> target field pair, with the value written. `(fixed)` marks constants. */
export interface SiemFieldRow {
  source: string;
  target: string;
  value: unknown;
}

export interface SiemMappingResponse {
  format: SiemFormatName;
  /** An object for OCSF, ECS and HEC; one line for CEF. */
  output: Record<string, unknown> | string;
  fields: SiemFieldRow[];
  /** Fields the format has no field for; they sit in `unmappedTarget` of the output. */
  unmapped: { source: string; value: unknown }[];
  unmappedTarget: string;
  findings: Finding[];
}
