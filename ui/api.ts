// The UI's client for the UI listener's API: Hono's `hc`, typed by the contract
// (server/common/contract), so every path, parameter, body and answer below is checked by
// the compiler against the routes the server implements: nothing is re-declared or cast.
// Mutations always carry Content-Type: application/json: the server refuses any other
// content type, which is what keeps cross-site form posts out.
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { ResponseFormat } from 'hono/types';
import type { ApiApp } from '../server/common/contract/client-type.ts';
import type { BulkReplayRequest, CheckRequest, ForwardingUpdate, ReplayRequest, SendRequest } from '../server/common/contract/client-type.ts';
import type { ReceiverResponseSetting, SiemFormatName } from '../server/common/protocol.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PageRequest {
  q: string;
  limit: number;
  before?: number | null;
}

/** The body of a route's success answer (2xx), as the contract declares it. */
type SuccessBody<R> = R extends ClientResponse<infer T, infer S, ResponseFormat> ? (S extends SuccessStatusCode ? T : never) : never;

/** The answer's body when it is a success; otherwise an ApiRequestError with the server's words. */
async function read<R extends ClientResponse<unknown, number, ResponseFormat>>(pending: Promise<R>): Promise<SuccessBody<R>> {
  const res: ClientResponse<unknown, number, ResponseFormat> = await pending;
  // The one place the contract's answer type meets the parsed JSON: the route's 2xx schema.
  if (res.ok) return (await res.json()) as SuccessBody<R>;
  let message = `${res.status} ${res.statusText}`;
  try {
    const data: unknown = await res.json();
    if (data !== null && typeof data === 'object' && 'error' in data && typeof data.error === 'string') message = data.error;
  } catch {
    // Not JSON (a guard's refusal, a proxy): keep the status line.
  }
  throw new ApiRequestError(res.status, message);
}

/** An empty string means "no filter": leave the parameter out. */
const q = (text: string) => (text === '' ? undefined : text);
const JSON_TYPE = { headers: { 'content-type': 'application/json' } };

/** `base`: the UI listener's origin; by default the page's own (hc builds absolute URLs). */
export function createApi(base = globalThis.location?.origin ?? 'http://127.0.0.1:4780') {
  const api = hc<ApiApp>(base, { headers: { accept: 'application/json' } }).api;
  const id = (n: number | string) => ({ id: String(n) });
  const on = (signal?: AbortSignal) => (signal ? { init: { signal } } : undefined);

  return {
    health: (signal?: AbortSignal) => read(api.health.$get({ query: {} }, on(signal))),
    deliveries: (req: PageRequest, signal?: AbortSignal) =>
      read(api.deliveries.$get({ query: { q: q(req.q), limit: String(req.limit), before: req.before == null ? undefined : String(req.before) } }, on(signal))),
    delivery: (n: number, signal?: AbortSignal) => read(api.deliveries[':id'].$get({ param: id(n), query: {} }, on(signal))),
    curl: async (n: number) => {
      const res = await api.deliveries[':id'].curl.$get({ param: id(n), query: {} });
      if (!res.ok) throw new ApiRequestError(res.status, `${res.status} ${res.statusText}`);
      return res.text();
    },
    siem: (n: number, format: SiemFormatName, signal?: AbortSignal) =>
      read(api.deliveries[':id'].siem[':format'].$get({ param: { id: String(n), format }, query: {} }, on(signal))),
    signature: (n: number, signal?: AbortSignal) => read(api.deliveries[':id'].signature.$get({ param: id(n), query: {} }, on(signal))),
    rawUrl: (n: number) => api.deliveries[':id'].raw.$url({ param: id(n), query: {} }).pathname,
    /** "Export matching": a same-origin link the browser downloads (the access token rides in its cookie). */
    exportUrl: (format: 'ndjson' | 'har' | 'curl', text: string) => {
      const url = api.export.$url({ query: { format, q: q(text) } });
      return `${url.pathname}${url.search}`;
    },
    facets: (text: string, signal?: AbortSignal) => read(api.facets.$get({ query: { q: q(text) } }, on(signal))),
    histogram: (text: string, signal?: AbortSignal) => read(api.histogram.$get({ query: { q: q(text) } }, on(signal))),
    deleteOne: (n: number) => read(api.deliveries[':id'].$delete({ param: id(n), query: {} }, JSON_TYPE)),
    /** Deletes what matches q; an empty q deletes everything. */
    deleteMatching: (text: string) => read(api.deliveries.$delete({ query: { q: q(text) } }, JSON_TYPE)),
    setResponse: (setting: ReceiverResponseSetting) => read(api.settings.response.$put({ query: {}, json: setting })),

    // Sender. Tokens travel only in these JSON bodies, never in a URL.
    replay: (n: number, req: ReplayRequest) => read(api.deliveries[':id'].replay.$post({ param: id(n), query: {}, json: req })),
    bulkReplay: (req: BulkReplayRequest) => read(api.replay.$post({ query: {}, json: req })),
    job: (jobId: string, signal?: AbortSignal) => read(api.jobs[':id'].$get({ param: { id: jobId }, query: {} }, on(signal))),
    stopJob: (jobId: string) => read(api.jobs[':id'].stop.$post({ param: { id: jobId }, query: {} }, JSON_TYPE)),
    send: (req: SendRequest, signal?: AbortSignal) => read(api.send.$post({ query: {}, json: req }, on(signal))),
    forwarding: (signal?: AbortSignal) => read(api.forwarding.$get({ query: {} }, on(signal))),
    updateForwarding: (update: ForwardingUpdate) => read(api.forwarding.$put({ query: {}, json: update })),
    retryForwarding: (target: string) => read(api.forwarding.retry.$post({ query: {}, json: { target } })),

    // Reference: the coverage table and what each event type is.
    coverage: (signal?: AbortSignal) => read(api.coverage.$get({ query: {} }, on(signal))),
    eventTypes: (signal?: AbortSignal) => read(api['event-types'].$get({ query: {} }, on(signal))),

    // SIEM outputs (what the sinks received).
    outputs: (req: PageRequest, signal?: AbortSignal) =>
      read(api.outputs.$get({ query: { q: q(req.q), limit: String(req.limit), before: req.before == null ? undefined : String(req.before) } }, on(signal))),
    output: (n: number, signal?: AbortSignal) => read(api.outputs[':id'].$get({ param: id(n), query: {} }, on(signal))),
    compareOutput: (n: number, signal?: AbortSignal) => read(api.outputs[':id'].compare.$get({ param: id(n), query: {} }, on(signal))),

    // Conformance checks.
    checks: (signal?: AbortSignal) => read(api.checks.$get({ query: { limit: '100' } }, on(signal))),
    check: (n: number, signal?: AbortSignal) => read(api.checks[':id'].$get({ param: id(n), query: {} }, on(signal))),
    checkScenarios: (signal?: AbortSignal) => read(api.checks.scenarios.$get({ query: {} }, on(signal))),
    startCheck: (req: CheckRequest) => read(api.checks.$post({ query: {}, json: req })),
    stopCheck: (n: number) => read(api.checks[':id'].stop.$post({ param: id(n), query: {} }, JSON_TYPE)),
    /** Where a finished run's report downloads from: the `check --json` report or `--junit` XML. */
    checkReportUrl: (n: number, format: 'json' | 'junit') => {
      const url = api.checks[':id'].report.$url({ param: id(n), query: { format } });
      return url.pathname + url.search;
    },
  };
}

export type Api = ReturnType<typeof createApi>;

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
