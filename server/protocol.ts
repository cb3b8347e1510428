// Types shared by the server and the UI: API bodies, verdicts and stream messages.
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
  | { type: 'resync'; reason: string };

/** Deliveries over time by category facet, for the chart above the list. */
export interface Histogram {
  /** Width of one bucket in ms. */
  bucketMs: number;
  /** Oldest first; `start` is an epoch-ms bucket start. */
  buckets: { start: number; counts: Record<string, number> }[];
}
