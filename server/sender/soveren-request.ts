// Requests exactly as Soveren sends them: POST, Content-Type: application/json,
// User-Agent: SoverenWebhook/1.0 and, with a token, x-soveren-signature: sha256=<hex>
// over the raw body; plus the deliberately faulty variants of `send --tamper`.
import type { TamperKind } from '../common/protocol.ts';
import { SIGNATURE_HEADER, SOVEREN_USER_AGENT } from '../common/catalog.ts';
import { signBody } from '../soveren/signature.ts';

/** Fresh signature with a token, stored signature header(s) verbatim, or none. */
export type Signing =
  | { mode: 'token'; token: string }
  | { mode: 'keep'; headers: readonly [string, string][] }
  | { mode: 'none' };

export const TAMPER_KINDS: readonly TamperKind[] = ['body', 'signature', 'missing-signature', 'user-agent', 'malformed-json'];

/** What a receiver holding the same token must conclude about each variant. */
export const TAMPER_CLAIMS: Record<TamperKind, string> = {
  body: 'body changed after signing: the signature does not match the body',
  signature: 'signed with another token: the signature does not match',
  'missing-signature': 'no x-soveren-signature header although a token is configured',
  'user-agent': `validly signed, but the User-Agent is not ${SOVEREN_USER_AGENT}`,
  'malformed-json': 'validly signed, but the body is not valid JSON',
};

export const TAMPERED_USER_AGENT = 'Mozilla/5.0 (tampered; not SoverenWebhook/1.0)';

/** Variants that only mean something when the receiver checks a signature. */
export function tamperNeedsToken(kind: TamperKind): boolean {
  return kind === 'body' || kind === 'signature' || kind === 'missing-signature';
}

export function buildSoverenHeaders(body: Uint8Array, signing: Signing, userAgent = SOVEREN_USER_AGENT): [string, string][] {
  const headers: [string, string][] = [['Content-Type', 'application/json'], ['User-Agent', userAgent]];
  if (signing.mode === 'token') headers.push([SIGNATURE_HEADER, signBody(body, signing.token)]);
  else if (signing.mode === 'keep') headers.push(...signing.headers);
  return headers;
}

/** Every x-soveren-signature header of a stored delivery, name and value as received, in order. */
export function storedSignatureHeaders(headers: readonly [string, string][]): [string, string][] {
  return headers.filter(([name]) => name.toLowerCase() === SIGNATURE_HEADER);
}

export interface PreparedRequest {
  body: Buffer;
  headers: [string, string][];
}

/** A Soveren request for `body`, signed with `token` when given, then tampered as `kind` says. */
export function prepareRequest(body: Buffer, token: string | null, kind: TamperKind | null): PreparedRequest {
  const signing: Signing = token === null ? { mode: 'none' } : { mode: 'token', token };
  if (kind === null) return { body, headers: buildSoverenHeaders(body, signing) };
  if (tamperNeedsToken(kind) && token === null) throw new Error(`tamper ${kind} needs a token`);
  switch (kind) {
    case 'body': {
      // Signed over the original, then changed: still valid JSON, so only the signature is wrong.
      const changed = changeBody(body);
      const headers = buildSoverenHeaders(body, signing);
      return { body: changed, headers };
    }
    case 'signature':
      return { body, headers: buildSoverenHeaders(body, { mode: 'token', token: `${token}~another-token` }) };
    case 'missing-signature':
      return { body, headers: buildSoverenHeaders(body, { mode: 'none' }) };
    case 'user-agent':
      return { body, headers: buildSoverenHeaders(body, signing, TAMPERED_USER_AGENT) };
    case 'malformed-json': {
      // Cut the closing brace: invalid JSON, correctly signed (the receiver must not trust the signature alone).
      const text = body.toString('utf8').replace(/\}\s*$/, '');
      const broken = Buffer.from(text === body.toString('utf8') ? `${text}{` : text, 'utf8');
      return { body: broken, headers: buildSoverenHeaders(broken, signing) };
    }
  }
}

function changeBody(body: Buffer): Buffer {
  try {
    const event = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (event !== null && typeof event === 'object' && !Array.isArray(event)) {
      event.title = `${typeof event.title === 'string' ? event.title : ''} (tampered)`;
      return Buffer.from(JSON.stringify(event), 'utf8');
    }
  } catch {
    // not JSON: fall through to a byte change
  }
  return Buffer.concat([body, Buffer.from(' ')]);
}
