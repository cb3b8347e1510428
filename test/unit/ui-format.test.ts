// Formatting of attacker-controlled values: only http(s) links, exact hex dumps.
import { describe, expect, it } from 'vitest';
import { decodeBase64, formatBytes, hexDump, safeHref } from '../../ui/state/format.ts';

describe('safeHref', () => {
  it('allows absolute http and https URLs only', () => {
    expect(safeHref('https://app.soveren.io/events/1')).toBe('https://app.soveren.io/events/1');
    expect(safeHref('HTTP://example.com')).toBe('http://example.com/');
    for (const bad of [
      'javascript:alert(1)', ' javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\nscript:alert(1)',
      'data:text/html,<script>', 'vbscript:x', '//evil.example', '/relative', 'https//x', '', 42, null,
      'file:///etc/passwd', 'http:/x',
    ]) {
      expect(safeHref(bad), String(bad)).toBeNull();
    }
  });
});

describe('hexDump', () => {
  it('prints offset, hex and printable ASCII', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x00, 0xff, ...Array(13).fill(0x41)]);
    expect(hexDump(bytes).split('\n')).toEqual([
      '00000000  7b 22 61 00 ff 41 41 41  41 41 41 41 41 41 41 41  |{"a..AAAAAAAAAAA|',
      '00000010  41 41                                             |AA|',
    ]);
  });
  it('stops at the limit', () => {
    expect(hexDump(new Uint8Array(100), 32).split('\n')).toHaveLength(2);
  });
});

describe('decodeBase64 and formatBytes', () => {
  it('decodes exact bytes', () => {
    expect([...decodeBase64(Buffer.from([0, 255, 128, 10]).toString('base64'))]).toEqual([0, 255, 128, 10]);
  });
  it('formats sizes', () => {
    expect([0, 1023, 1024, 15 * 1024, 3 * 1024 * 1024].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '15 KiB', '3.0 MiB']);
  });
});
