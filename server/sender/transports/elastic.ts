// Elasticsearch _bulk: one `create` action per document as NDJSON ending in a newline
// (elastic.co "Bulk API": create works for indices and data streams alike). HTTP 200 does
// not mean stored: every item carries its own status, and a rejected item fails the try
// with Elasticsearch's reason; each message's own item comes back in `items` (live
// forwarding records it per delivery). 429 (whole request or items throttled) is retried.
import { createKeepAliveAgent, sendRequest } from '../http.ts';
import { isRetryableNetworkError, type MessageOutcome, type Transport, type TransportTry, type TryOptions } from './types.ts';

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

/** Each item as answered ({"create": {...}}) and its inner object, or null without an items list. */
function readItems(body: string | null): { raw: unknown; item: BulkItem }[] | null {
  try {
    const v = JSON.parse(body ?? '') as { items?: unknown };
    if (!Array.isArray(v.items)) return null;
    // Each item is keyed by its action ({"create": {...}}).
    return v.items.map((raw: unknown) => ({ raw, item: raw && typeof raw === 'object' ? (Object.values(raw)[0] as BulkItem) ?? {} : {} }));
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
    // The answer lists every item (about 150-300 bytes each, more with a long reason): room for all of them.
    const maxResponseBytes = 64 * 1024 + messages.length * 2048;
    const r = await sendRequest({ url, headers, body: Buffer.from(body), timeoutMs: t.timeoutMs, agent, maxResponseBytes, ...(t.signal && { signal: t.signal }) });
    if (r.status === null) return { ...r, retryable: isRetryableNetworkError(r.error) };
    if (!r.ok) return { ...r, error: describeFailure(r.status, r.responseBody), retryable: r.status === 429 || r.status >= 500 };
    const items = readItems(r.responseBody);
    if (items === null) return { ...r, ok: false, error: 'Elasticsearch answered 2xx without a bulk "items" list', retryable: false };
    if (items.length !== messages.length) {
      return { ...r, ok: false, error: `Elasticsearch answered ${items.length} items for ${messages.length} documents`, retryable: false };
    }
    const outcomes = items.map(({ raw, item }): MessageOutcome => {
      const status = typeof item.status === 'number' ? item.status : 0;
      const ok = status >= 200 && status < 300;
      return {
        ok, status: status || null, error: ok ? null : `Elasticsearch rejected the document: ${status || 'no status'} ${describeItemError(item)}`,
        // Only a throttled item is sent again: a mapping error stays one.
        retryable: status === 429, responseBody: JSON.stringify(raw),
      };
    });
    const failed = outcomes.map((o, i) => ({ o, i })).filter((x) => !x.o.ok);
    if (failed.length === 0) return { ...r, retryable: false, items: outcomes };
    const first = failed[0]!;
    const error = `Elasticsearch rejected ${failed.length} of ${messages.length} documents; document ${first.i + 1}: ${first.o.error!.replace('Elasticsearch rejected the document: ', '')}`;
    // The whole try is retryable only when every document was throttled: resending a batch
    // that was partly stored would create those documents twice (a caller reading `items`
    // resends only the throttled ones).
    return { ...r, ok: false, error, retryable: failed.length === messages.length && failed.every((x) => x.o.retryable), items: outcomes };
  }

  return { send, close: () => agent.destroy() };
}
