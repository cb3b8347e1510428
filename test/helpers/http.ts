// Small HTTP helpers for tests: post raw bytes with exact headers, read JSON from the API.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T = any>(): T;
}

/** POST (or any method) with headers given as an ordered list, repeats allowed. */
export function rawRequest(url: string, opts: { method?: string; headers?: [string, string][]; body?: Uint8Array | string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? Buffer.alloc(0) : Buffer.from(opts.body);
    const flat = (opts.headers ?? []).flatMap(([k, v]) => [k, v]);
    if (!(opts.headers ?? []).some(([k]) => k.toLowerCase() === 'content-length')) flat.push('Content-Length', String(body.length));
    // A raw header list gets no automatic Host from Node.
    if (!(opts.headers ?? []).some(([k]) => k.toLowerCase() === 'host')) flat.unshift('Host', new URL(url).host);
    const req = request(url, { method: opts.method ?? 'POST', headers: flat as unknown as Record<string, string>, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString('utf8')) });
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
