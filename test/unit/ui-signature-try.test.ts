// The browser-side signature check agrees with node:crypto's HMAC (an independent
// implementation) on exact bytes, including non-UTF-8 ones and uppercase hex.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskDigest, signInBrowser, tryToken } from '../../ui/state/signature-try.ts';

const oracle = (token: string, body: Buffer) => `sha256=${createHmac('sha256', token).update(body).digest('hex')}`;

describe('try a token', () => {
  const body = Buffer.from([0x7b, 0xff, 0x00, 0xc3, 0xa9, 0x7d]);
  const b64 = body.toString('base64');

  it('signs the stored bytes exactly as node:crypto does', async () => {
    expect(await signInBrowser('tøken', b64)).toBe(oracle('tøken', body));
    expect(await signInBrowser('k', Buffer.alloc(0).toString('base64'))).toBe(oracle('k', Buffer.alloc(0)));
  });

  it('gives valid for the signing token (any hex case), invalid for another, missing without a header', async () => {
    const sig = oracle('right', body);
    expect(await tryToken('right', b64, [sig])).toEqual({ verdict: 'valid', expected: sig });
    expect((await tryToken('right', b64, [`sha256=${sig.slice(7).toUpperCase()}`])).verdict).toBe('valid');
    expect((await tryToken('wrong', b64, [sig])).verdict).toBe('invalid');
    expect((await tryToken('right', b64, [])).verdict).toBe('missing');
    expect((await tryToken('right', b64, [sig, sig])).verdict).toBe('missing');
  });

  it('masks to the first 6 and last 4 hex digits', () => {
    expect(maskDigest(`sha256=${'ab12cd'}${'0'.repeat(54)}${'9f8e'}`)).toBe('sha256=ab12cd…9f8e');
    expect(maskDigest('garbage')).toBe('garbage');
  });
});
