// Signature sign/verify: known-answer vectors, every malformed shape, rotation, and a
// differential test against @octokit/webhooks-methods as an independent implementation.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign as octoSign, verify as octoVerify } from '@octokit/webhooks-methods';
import { signBody, verifySignature } from '../../server/soveren/signature.ts';

const enc = (s: string) => Buffer.from(s, 'utf8');
// GitHub's published vector for the same sha256=<hex> format.
const GITHUB_SECRET = "It's a Secret to Everybody";
const GITHUB_BODY = 'Hello, World!';
const GITHUB_SIG = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('signBody', () => {
  it('matches the published known-answer vector', () => {
    expect(signBody(enc(GITHUB_BODY), GITHUB_SECRET)).toBe(GITHUB_SIG);
    expect(signBody(GITHUB_BODY, GITHUB_SECRET)).toBe(GITHUB_SIG);
  });
});

describe('verifySignature', () => {
  it('accepts the known-answer vector and names the token', () => {
    const d = verifySignature(enc(GITHUB_BODY), [GITHUB_SIG], [GITHUB_SECRET]);
    expect(d.verdict).toBe('valid');
    expect(d.matchedToken).toBe(0);
    expect(d.uppercaseHex).toBe(false);
  });

  it('is unchecked without tokens, missing without header', () => {
    expect(verifySignature(enc('x'), [GITHUB_SIG], []).verdict).toBe('unchecked');
    const missing = verifySignature(enc('x'), [], ['t']);
    expect(missing.verdict).toBe('missing');
    expect(missing.reason).toMatch(/no x-soveren-signature header/);
  });

  it('says the body differs when one byte changes', () => {
    const d = verifySignature(enc('Hello, World?'), [GITHUB_SIG], [GITHUB_SECRET]);
    expect(d.verdict).toBe('invalid');
    expect(d.reason).toMatch(/body differs from what was signed/);
  });

  it('rejects a signature made with another token', () => {
    expect(verifySignature(enc(GITHUB_BODY), [GITHUB_SIG], ['other']).verdict).toBe('invalid');
  });

  const hex = GITHUB_SIG.slice(7);
  const malformed: [string, string, RegExp][] = [
    ['63 hex digits', 'sha256=' + hex.slice(0, 63), /63 hex digits/],
    ['65 hex digits', 'sha256=' + hex + 'a', /65 hex digits/],
    ['trailing junk', GITHUB_SIG + 'zz', /not hex/],
    ['trailing space', GITHUB_SIG + ' ', /not hex/],
    ['sha1 scheme', 'sha1=' + hex.slice(0, 40), /unsupported scheme "sha1="/],
    ['empty', '', /empty/],
    ['no prefix', hex, /prefix is missing/],
    ['non-hex digest', 'sha256=' + 'g'.repeat(64), /not hex/],
    ['uppercase prefix', 'SHA256=' + hex, /lowercase "sha256="/],
    // Buffer.from(hex, 'hex') would silently stop at "zz" and compare a short buffer.
    ['half-hex that a loose decoder truncates', 'sha256=' + hex.slice(0, 32) + 'zz' + hex.slice(34), /not hex/],
  ];
  for (const [name, header, reason] of malformed) {
    it(`calls ${name} malformed`, () => {
      const d = verifySignature(enc(GITHUB_BODY), [header], [GITHUB_SECRET]);
      expect(d.verdict).toBe('malformed');
      expect(d.reason).toMatch(reason);
    });
  }

  it('calls a repeated header malformed even when both are valid', () => {
    const d = verifySignature(enc(GITHUB_BODY), [GITHUB_SIG, GITHUB_SIG], [GITHUB_SECRET]);
    expect(d.verdict).toBe('malformed');
    expect(d.reason).toMatch(/2 times/);
  });

  it('verifies uppercase hex but flags it', () => {
    const d = verifySignature(enc(GITHUB_BODY), ['sha256=' + hex.toUpperCase()], [GITHUB_SECRET]);
    expect(d.verdict).toBe('valid');
    expect(d.uppercaseHex).toBe(true);
    expect(d.reason).toMatch(/uppercase/);
  });

  it('supports rotation: any configured token verifies, and which one is reported', () => {
    const body = enc('{"title":"rotation"}');
    const sig = signBody(body, 'new-token');
    const d = verifySignature(body, [sig], ['old-token', 'new-token']);
    expect(d.verdict).toBe('valid');
    expect(d.matchedToken).toBe(1);
    expect(d.tokenCount).toBe(2);
    expect(verifySignature(body, [signBody(body, 'retired')], ['old-token', 'new-token']).verdict).toBe('invalid');
  });

  it('treats tokens as UTF-8 strings', async () => {
    const body = enc('{"a":1}');
    const token = 'pässwörd-🔑';
    expect(signBody(body, token)).toBe(await octoSign(token, body.toString('utf8')));
  });
});

describe('differential against @octokit/webhooks-methods', () => {
  it('agrees on random bodies and tokens', async () => {
    for (let i = 0; i < 300; i++) {
      const token = randomBytes(1 + (i % 40)).toString(i % 2 ? 'hex' : 'base64');
      // Octokit takes non-empty strings; keep bodies valid UTF-8 so both sign the same bytes.
      const body = randomBytes(1 + i * 7).toString('base64') + (i % 3 ? '✓' : '');
      const ours = signBody(enc(body), token);
      expect(ours).toBe(await octoSign(token, body));
      expect(await octoVerify(token, body, ours)).toBe(true);
      expect(verifySignature(enc(body), [await octoSign(token, body)], [token]).verdict).toBe('valid');
      const tampered = body + ' ';
      expect(verifySignature(enc(tampered), [ours], [token]).verdict).toBe('invalid');
      expect(await octoVerify(token, tampered, ours)).toBe(false);
    }
  });
});
