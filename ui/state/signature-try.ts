// "Try a token": recompute the Soveren signature of the stored bytes in the browser with
// WebCrypto (HMAC-SHA-256, lowercase hex, `sha256=` prefix) and compare it with what
// arrived. The token stays in this function's arguments: nothing stores or sends it.

export interface TokenTrial {
  /** valid: the received header matches; invalid: it does not; missing: nothing to compare. */
  verdict: 'valid' | 'invalid' | 'missing';
  /** What this token gives the stored body, `sha256=<hex>`. */
  expected: string;
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** `sha256=<lowercase hex>` of HMAC-SHA-256(token, body), as Soveren signs. */
export async function signInBrowser(token: string, bodyBase64: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  // WebCrypto exists only in secure contexts (localhost or HTTPS).
  if (!subtle) throw new Error('this page is not a secure context (open it on localhost or over HTTPS)');
  const key = await subtle.importKey('raw', new TextEncoder().encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await subtle.sign('HMAC', key, bytesOf(bodyBase64)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The verdict this token would give, by the receiver's rules (uppercase hex still matches). */
export async function tryToken(token: string, bodyBase64: string, received: readonly string[]): Promise<TokenTrial> {
  const expected = await signInBrowser(token, bodyBase64);
  if (received.length !== 1) return { verdict: 'missing', expected };
  const value = received[0]!;
  const same = value.startsWith('sha256=') && value.slice(7).toLowerCase() === expected.slice(7);
  return { verdict: same ? 'valid' : 'invalid', expected };
}

/** First 6 and last 4 hex digits, as the server masks its expected digests. */
export function maskDigest(value: string): string {
  if (!value.startsWith('sha256=') || value.length <= 17) return value;
  const hex = value.slice(7);
  return `sha256=${hex.slice(0, 6)}…${hex.slice(-4)}`;
}
