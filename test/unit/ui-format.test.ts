// Formatting of attacker-controlled values: only http(s) links, exact hex dumps.
import { describe, expect, it } from 'vitest';
import { decodeBase64, formatAgo, formatBytes, formatFullTime, formatShortTime, hexDump, safeHref, toValidDate } from '../../ui/state/format.ts';

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

describe('time formatters never throw on a stored time', () => {
  // The largest and smallest times Date holds, one past them, and things that are no time.
  const extremes: (string | number)[] = [8.64e15, -8.64e15, 8.64e15 + 1, Number.NaN, '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', 'not a time', ''];

  it('formats what Date can hold and echoes the rest as text', () => {
    for (const value of extremes) {
      expect(() => [formatShortTime(value), formatFullTime(value), formatAgo(value)], String(value)).not.toThrow();
    }
    expect(formatFullTime(8.64e15)).toMatch(/^275760-09-1[23] /);
    expect(formatShortTime(8.64e15 + 1)).toBe(String(8.64e15 + 1));
    expect(formatAgo('not a time')).toBe('');
    expect(toValidDate(8.64e15 + 1)).toBeNull();
    expect(toValidDate('+275760-09-13T00:00:00.000Z')?.getTime()).toBe(8.64e15);
  });
});
