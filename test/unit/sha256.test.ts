// The one-shot SHA-256 gives exactly what createHash gives (the independent oracle), for
// text, bytes and the empty input, as raw bytes and as hex.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../server/soveren/sha256.ts';

describe('sha256', () => {
  for (const input of ['', 'id\u0000abc', 'ünïcødé ✓', Buffer.from([0, 255, 1, 254]), Buffer.alloc(100_000, 7)]) {
    it(`matches createHash for ${typeof input === 'string' ? JSON.stringify(input.slice(0, 12)) : `${input.length} bytes`}`, () => {
      expect(sha256(input).equals(createHash('sha256').update(input).digest())).toBe(true);
      expect(sha256Hex(input)).toBe(createHash('sha256').update(input).digest('hex'));
    });
  }
});
