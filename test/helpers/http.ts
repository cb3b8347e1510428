// Small HTTP helpers for tests: one raw request with exact headers, JSON from the API, a
// request as the UI makes it.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The answer's body as UTF-8 text. */
  body: string;
  /** The answer's exact bytes. */
  bytes: Buffer;
  json<T = any>(): T;
}

export interface RawRequestOptions {
  /** POST unless given. */
  method?: string;
  /** Exactly these headers, in this order (repeats allowed as a list). Host and Content-Length are added only when absent. */
  headers?: [string, string][] | Record<string, string>;
  body?: Uint8Array | string;
}

/**
 * The one raw HTTP request of the tests: node:http with exactly the headers given (Host,
 * Origin, Cookie, repeats), no agent, the whole answer read. For bytes no HTTP client would
 * send, see socket.ts.
 */
export function rawRequest(url: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? Buffer.alloc(0) : Buffer.from(opts.body);
    const list = Array.isArray(opts.headers) ? opts.headers : Object.entries(opts.headers ?? {});
    const flat = list.flatMap(([k, v]) => [k, v]);
    const has = (name: string) => list.some(([k]) => k.toLowerCase() === name);
    if (!has('content-length') && !has('transfer-encoding')) flat.push('Content-Length', String(body.length));
    // A raw header list gets no automatic Host from Node.
    if (!has('host')) flat.unshift('Host', new URL(url).host);
    const req = request(url, { method: opts.method ?? 'POST', headers: flat as unknown as Record<string, string>, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, bytes, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function getJson<T = any>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A request as the UI would make it: JSON body, own Origin. */
export function apiRequest(uiUrl: string, path: string, method: string, body: unknown = {}): Promise<Response> {
  return fetch(new URL(path, uiUrl), {
    method,
    headers: { 'content-type': 'application/json', origin: new URL(uiUrl).origin },
    body: JSON.stringify(body),
  });
}
