// Elasticsearch _bulk: one `create` action per document as NDJSON ending in a newline
// (elastic.co "Bulk API": create works for indices and data streams alike). HTTP 200 does
// not mean stored: every item carries its own status, and a rejected item fails the try
// with Elasticsearch's reason. 429 (whole request or items throttled) is retried.
import { createKeepAliveAgent, sendRequest } from '../http.ts';
import { isRetryableNetworkError, type Transport, type TransportTry, type TryOptions } from './types.ts';

export interface ElasticTransportOptions {
  /** http(s)://[user:password@]host:port: basic auth from the URL when no API key is given. */
  base: string;
  index: string;
  /** `Authorization: ApiKey <key>` (the base64 "encoded" form Elasticsearch hands out). */
  apiKey: string | null;
}

interface BulkItem {
  status?: unknown;
  error?: { type?: unknown; reason?: unknown } | unknown;
}

function readItems(body: string | null): BulkItem[] | null {
  try {
    const v = JSON.parse(body ?? '') as { items?: unknown };
    if (!Array.isArray(v.items)) return null;
    // Each item is keyed by its action ({"create": {...}}).
    return v.items.map((it: unknown) => (it && typeof it === 'object' ? (Object.values(it)[0] as BulkItem) ?? {} : {}));
  } catch {
    return null;
  }
}

function describeItemError(item: BulkItem): string {
  const e = item.error;
  if (e && typeof e === 'object') {
    const { type, reason } = e as { type?: unknown; reason?: unknown };
    return `${typeof type === 'string' ? type : 'error'}${typeof reason === 'string' ? `: ${reason.slice(0, 500)}` : ''}`;
  }
  return typeof e === 'string' ? e.slice(0, 500) : 'rejected';
}

function describeFailure(status: number, body: string | null): string {
  try {
    const v = JSON.parse(body ?? '') as { error?: { type?: unknown; reason?: unknown } | string };
    if (typeof v.error === 'string') return `Elasticsearch answered ${status}: ${v.error.slice(0, 500)}`;
    if (v.error && typeof v.error === 'object') return `Elasticsearch answered ${status}: ${describeItemError({ error: v.error })}`;
  } catch {
    // not JSON: the status says enough
  }
  return `Elasticsearch answered ${status}`;
}

export function createElasticTransport(o: ElasticTransportOptions): Transport {
  const url = `${o.base}/${encodeURIComponent(o.index)}/_bulk`;
  const agent = createKeepAliveAgent(o.base);
  const headers: [string, string][] = [['Content-Type', 'application/x-ndjson'], ...(o.apiKey !== null ? [['Authorization', `ApiKey ${o.apiKey}`] as [string, string]] : [])];

  async function send(messages: readonly string[], t: TryOptions): Promise<TransportTry> {
    // The bulk body must end with a newline (Bulk API); documents are one line each (compact JSON).
    const body = messages.map((doc) => `{"create":{}}\n${doc}\n`).join('');
    const r = await sendRequest({ url, headers, body: Buffer.from(body), timeoutMs: t.timeoutMs, agent, ...(t.signal && { signal: t.signal }) });
    if (r.status === null) return { ...r, retryable: isRetryableNetworkError(r.error) };
    if (!r.ok) return { ...r, error: describeFailure(r.status, r.responseBody), retryable: r.status === 429 || r.status >= 500 };
    const items = readItems(r.responseBody);
    if (items === null) return { ...r, ok: false, error: 'Elasticsearch answered 2xx without a bulk "items" list', retryable: false };
    if (items.length !== messages.length) {
      return { ...r, ok: false, error: `Elasticsearch answered ${items.length} items for ${messages.length} documents`, retryable: false };
    }
    const failed = items.map((it, i) => ({ i, it, status: typeof it.status === 'number' ? it.status : 0 })).filter((x) => x.status < 200 || x.status >= 300);
    if (failed.length === 0) return { ...r, retryable: false };
    const first = failed[0]!;
    const error = `Elasticsearch rejected ${failed.length} of ${messages.length} documents; document ${first.i + 1}: ${first.status} ${describeItemError(first.it)}`;
    // Retry only when every document was throttled (429): a mapping error stays one, and
    // resending a batch that was partly stored would create those documents twice.
    return { ...r, ok: false, error, retryable: failed.length === messages.length && failed.every((x) => x.status === 429) };
  }

  return { send, close: () => agent.destroy() };
}
