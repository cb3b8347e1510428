// Soveren's webhook signature: HMAC-SHA-256 of the raw body keyed by the token, sent as
// `x-soveren-signature: sha256=<lowercase hex>`. Sign, and verify into a verdict with a reason.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureDetail } from '../common/protocol.ts';
import { SIGNATURE_HEADER } from '../common/catalog.ts';

const PREFIX = 'sha256=';
// Exactly 64 hex digits. Decode nothing loosely: Buffer.from(hex, 'hex') stops at the
// first non-hex pair and silently truncates, so the shape is checked before decoding.
const DIGEST = /^[0-9a-fA-F]{64}$/;

/** The header value Soveren would send for this body and token. */
export function signBody(body: Uint8Array | string, token: string): string {
  return PREFIX + createHmac('sha256', token).update(body).digest('hex');
}

/**
 * Verdict for a delivery. `headers` are every x-soveren-signature value received, in
 * order (a repeated header is malformed: a receiver cannot know which one to trust).
 * `tokens` are the configured tokens, newest first; an empty list means "unchecked".
 */
export function verifySignature(
  body: Uint8Array,
  headers: readonly string[],
  tokens: readonly string[],
): SignatureDetail {
  const base = { headers: [...headers], matchedToken: null, tokenCount: tokens.length, uppercaseHex: false };
  if (tokens.length === 0) {
    return { ...base, verdict: 'unchecked', reason: 'no token configured, so the signature was not checked' };
  }
  if (headers.length === 0) {
    return { ...base, verdict: 'missing', reason: `no ${SIGNATURE_HEADER} header, but a token is configured` };
  }
  if (headers.length > 1) {
    return { ...base, verdict: 'malformed', reason: `the signature header was sent ${headers.length} times; exactly one is allowed` };
  }
  const value = headers[0]!;
  const shapeProblem = describeShapeProblem(value);
  if (shapeProblem) return { ...base, verdict: 'malformed', reason: shapeProblem };

  const hex = value.slice(PREFIX.length);
  const uppercaseHex = hex !== hex.toLowerCase();
  const received = Buffer.from(hex, 'hex');
  for (let i = 0; i < tokens.length; i++) {
    const expected = createHmac('sha256', tokens[i]!).update(body).digest();
    // Both are 32 bytes here (shape checked above); timingSafeEqual throws on unequal length.
    if (timingSafeEqual(received, expected)) {
      const which = tokens.length > 1 ? ` (token #${i + 1} of ${tokens.length})` : '';
      const reason = uppercaseHex
        ? `signature matches${which}, but the hex is uppercase: Soveren sends lowercase and strict receivers reject it`
        : `signature matches the body${which}`;
      return { ...base, verdict: 'valid', matchedToken: i, uppercaseHex, reason };
    }
  }
  const tokenWord = tokens.length > 1 ? `any of the ${tokens.length} configured tokens` : 'the configured token';
  return {
    ...base,
    verdict: 'invalid',
    uppercaseHex,
    reason: `body differs from what was signed, or it was signed with another token: no match with ${tokenWord}`,
  };
}

/** Why a header value is not `sha256=` + 64 hex digits, or null when it is. */
function describeShapeProblem(value: string): string | null {
  if (value.trim() === '') return 'the signature header is empty; expected sha256=<64 hex>';
  if (!value.startsWith(PREFIX)) {
    const scheme = /^([A-Za-z0-9-]+)=/.exec(value)?.[1];
    if (scheme && scheme.toLowerCase() === 'sha256') return `the prefix must be lowercase "sha256=", got "${scheme}="`;
    if (scheme) return `unsupported scheme "${scheme}="; Soveren signs with sha256=<64 hex>`;
    return 'not sha256=<64 hex>: the "sha256=" prefix is missing';
  }
  const hex = value.slice(PREFIX.length);
  if (DIGEST.test(hex)) return null;
  if (/^[0-9a-fA-F]*$/.test(hex)) return `not sha256=<64 hex>: the digest has ${hex.length} hex digits instead of 64`;
  return 'not sha256=<64 hex>: the digest contains characters that are not hex digits';
}
