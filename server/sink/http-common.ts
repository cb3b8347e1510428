// What the HTTP sinks share: the credential a request presents (Splunk, Basic, ApiKey or
// Bearer), its check against --sink-token in constant time, the request's headers and
// address, and the body (gzip undone, within --max-body).
import { timingSafeEqual } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { OutputIngest } from './output-ingest.ts';

export interface SinkHttpDeps {
  ingest: OutputIngest;
  /** --sink-token; null: any token (or none) is accepted. */
  token: string | null;
  maxBody: number;
}

export type SinkContext = Context<{ Bindings: HttpBindings }>;

export type Credential =
  | { kind: 'none' }
  | { kind: 'malformed' }
  | { kind: 'token'; scheme: 'splunk' | 'basic' | 'apikey' | 'bearer'; secrets: string[] };

/** The credential in the Authorization header. Basic counts its password; ApiKey its encoded and decoded forms. */
export function credentialOf(header: string | undefined): Credential {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = /^(\S+)\s+(\S.*)$/.exec(header.trim());
  if (!m) return { kind: 'malformed' };
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!.trim();
  if (scheme === 'splunk') return { kind: 'token', scheme, secrets: [value] };
  if (scheme === 'bearer') return { kind: 'token', scheme, secrets: [value] };
  if (scheme === 'basic' || scheme === 'apikey') {
    const decoded = /^[A-Za-z0-9+/=_-]+$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (scheme === 'basic') return colon < 0 ? { kind: 'malformed' } : { kind: 'token', scheme, secrets: [decoded.slice(colon + 1)] };
    // An Elasticsearch API key is base64("id:key"); the token may be given as either form or the key alone.
    return { kind: 'token', scheme, secrets: [value, ...(colon > 0 ? [decoded, decoded.slice(colon + 1)] : [])] };
  }
  return { kind: 'malformed' };
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether the credential opens the sink: always without --sink-token. */
export function isAuthorized(token: string | null, credential: Credential): boolean {
  if (token === null) return true;
  return credential.kind === 'token' && credential.secrets.some((s) => equalSecret(s, token));
}

/** Headers in received order (Node's rawHeaders), as [name, value] pairs. */
export function headersOf(c: SinkContext): [string, string][] {
  const raw = c.env.incoming.rawHeaders;
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

export function remoteOf(c: SinkContext): string | null {
  return c.env.incoming.socket.remoteAddress ?? null;
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: 413 | 415 | 400; message: string };

/** The request body, gunzipped when sent so (Splunk and Elasticsearch clients may), within the limit. */
export async function readSinkBody(c: SinkContext, maxBody: number): Promise<BodyResult> {
  const body = Buffer.from(await c.req.arrayBuffer());
  const encoding = (c.req.header('content-encoding') ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return { ok: true, body };
  if (encoding !== 'gzip') return { ok: false, status: 415, message: `Content-Encoding ${encoding.slice(0, 40)} is not supported (gzip is)` };
  try {
    return { ok: true, body: gunzipSync(body, { maxOutputLength: maxBody }) };
  } catch (e) {
    const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    return tooLarge
      ? { ok: false, status: 413, message: `the gunzipped body is over the ${maxBody}-byte --max-body limit` }
      : { ok: false, status: 400, message: 'the gzip body could not be decompressed' };
  }
}
