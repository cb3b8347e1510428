// Typed fetch wrapper for the UI listener's REST API (same origin, JSON, camelCase).
// Mutations always send a JSON body: the server refuses any other content type, which is
// what keeps cross-site form posts out.
import type {
  Attempt,
  BulkReplayRequest,
  CheckRequest,
  CheckRun,
  CheckRunPage,
  CheckRunSummary,
  CheckScenarioInfo,
  Coverage,
  DeliveryDetail,
  DeliveryPage,
  EventTypeReference,
  Facets,
  ForwardingState,
  ForwardingUpdate,
  Health,
  Histogram,
  JobStatus,
  OutputComparison,
  OutputDetail,
  OutputPage,
  ReceiverResponseSetting,
  ReplayRequest,
  SendRequest,
  SendResponse,
  SignatureExpectation,
  SiemFormatName,
  SiemMappingResponse,
} from '../server/shared/protocol.ts';

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

function params(values: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export function createApi(base = '') {
  async function send(method: string, path: string, signal?: AbortSignal, body?: unknown): Promise<Response> {
    const init: RequestInit = { method, signal, headers: { accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      init.body = JSON.stringify(body ?? {});
    }
    const res = await fetch(base + path, init);
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        const data = (await res.json()) as { error?: unknown };
        if (typeof data.error === 'string') message = data.error;
      } catch {
        // Not JSON: keep the status line.
      }
      throw new ApiRequestError(res.status, message);
    }
    return res;
  }
  async function json<T>(method: string, path: string, signal?: AbortSignal, body?: unknown): Promise<T> {
    return (await (await send(method, path, signal, body)).json()) as T;
  }

  return {
    health: (signal?: AbortSignal) => json<Health>('GET', '/api/health', signal),
    deliveries: (req: PageRequest, signal?: AbortSignal) =>
      json<DeliveryPage>('GET', `/api/deliveries${params({ q: req.q, limit: req.limit, before: req.before })}`, signal),
    delivery: (id: number, signal?: AbortSignal) => json<DeliveryDetail>('GET', `/api/deliveries/${id}`, signal),
    curl: async (id: number) => (await send('GET', `/api/deliveries/${id}/curl`)).text(),
    signature: (id: number, signal?: AbortSignal) => json<SignatureExpectation>('GET', `/api/deliveries/${id}/signature`, signal),
    siem: (id: number, format: SiemFormatName, signal?: AbortSignal) =>
      json<SiemMappingResponse>('GET', `/api/deliveries/${id}/siem/${format}`, signal),
    rawUrl: (id: number) => `${base}/api/deliveries/${id}/raw`,
    facets: (q: string, signal?: AbortSignal) => json<Facets>('GET', `/api/facets${params({ q })}`, signal),
    histogram: (q: string, signal?: AbortSignal) => json<Histogram>('GET', `/api/histogram${params({ q })}`, signal),
    deleteOne: (id: number) => json<{ deleted: number }>('DELETE', `/api/deliveries/${id}`),
    /** Deletes what matches q; an empty q deletes everything. */
    deleteMatching: (q: string) => json<{ deleted: number }>('DELETE', `/api/deliveries${params({ q })}`),
    setResponse: (setting: ReceiverResponseSetting) =>
      json<ReceiverResponseSetting>('PUT', '/api/settings/response', undefined, setting),

    // Sender. Tokens travel only in these JSON bodies, never in a URL.
    replay: (id: number, req: ReplayRequest) => json<Attempt>('POST', `/api/deliveries/${id}/replay`, undefined, req),
    bulkReplay: (req: BulkReplayRequest) => json<JobStatus>('POST', '/api/replay', undefined, req),
    job: (id: string, signal?: AbortSignal) => json<JobStatus>('GET', `/api/jobs/${encodeURIComponent(id)}`, signal),
    stopJob: (id: string) => json<JobStatus>('POST', `/api/jobs/${encodeURIComponent(id)}/stop`),
    send: (req: SendRequest, signal?: AbortSignal) => json<SendResponse>('POST', '/api/send', signal, req),
    forwarding: (signal?: AbortSignal) => json<ForwardingState>('GET', '/api/forwarding', signal),
    updateForwarding: (update: ForwardingUpdate) => json<ForwardingState>('PUT', '/api/forwarding', undefined, update),

    // SIEM outputs (what the sinks received).
    outputs: (req: PageRequest, signal?: AbortSignal) =>
      json<OutputPage>('GET', `/api/outputs${params({ q: req.q, limit: req.limit, before: req.before })}`, signal),
    output: (id: number, signal?: AbortSignal) => json<OutputDetail>('GET', `/api/outputs/${id}`, signal),
    compareOutput: (id: number, signal?: AbortSignal) => json<OutputComparison>('GET', `/api/outputs/${id}/compare`, signal),

    // Reference: the coverage table and what each event type is.
    coverage: (signal?: AbortSignal) => json<Coverage>('GET', '/api/coverage', signal),
    eventTypes: (signal?: AbortSignal) => json<{ items: EventTypeReference[] }>('GET', '/api/event-types', signal),

    // Conformance checks.
    checks: (signal?: AbortSignal) => json<CheckRunPage>('GET', '/api/checks?limit=100', signal),
    check: (id: number, signal?: AbortSignal) => json<CheckRun>('GET', `/api/checks/${id}`, signal),
    checkScenarios: (signal?: AbortSignal) =>
      json<{ items: CheckScenarioInfo[] }>('GET', '/api/checks/scenarios', signal),
    startCheck: (req: CheckRequest) => json<CheckRunSummary>('POST', '/api/checks', undefined, req),
    stopCheck: (id: number) => json<CheckRunSummary>('POST', `/api/checks/${id}/stop`),
  };
}

export type Api = ReturnType<typeof createApi>;

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
