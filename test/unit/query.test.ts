// Query syntax: field tokens, quoting, negation, aliases, free words, round-trip formatting.
import { describe, expect, it } from 'vitest';
import { formatQuery, parseQuery } from '../../server/common/query.ts';

describe('parseQuery', () => {
  it('reads field tokens, negation and free words', () => {
    expect(parseQuery('category:data_at_risk -sig:valid s3 -bucket')).toEqual({
      fields: [
        { field: 'category', value: 'data_at_risk', negate: false },
        { field: 'sig', value: 'valid', negate: true },
      ],
      words: [
        { text: 's3', negate: false },
        { text: 'bucket', negate: true },
      ],
    });
  });

  it('reads quoted values with escapes and spaces', () => {
    const q = parseQuery('category:"Data at risk" "two words" path:"/a \\"b\\""');
    expect(q.fields).toEqual([
      { field: 'category', value: 'Data at risk', negate: false },
      { field: 'path', value: '/a "b"', negate: false },
    ]);
    expect(q.words.map((w) => w.text)).toEqual(['two words']);
  });

  it('maps aliases to canonical fields and is case-insensitive on names', () => {
    const q = parseQuery('type:anomaly_detected Signature:invalid UA:missing');
    expect(q.fields.map((f) => f.field)).toEqual(['event_type', 'sig', 'ua']);
  });

  it('treats unknown name:value (like URLs) as words', () => {
    const q = parseQuery('https://example.com foo:bar');
    expect(q.fields).toEqual([]);
    expect(q.words.map((w) => w.text)).toEqual(['https://example.com', 'foo:bar']);
  });

  it('never throws on odd input', () => {
    for (const input of ['', '   ', '-', '"', 'category:', 'category:"unterminated', '-"x', ':::', '\u0000\u202e']) {
      expect(() => parseQuery(input)).not.toThrow();
    }
    expect(parseQuery('category:"unterminated value').fields[0]!.value).toBe('unterminated value');
    expect(parseQuery('a - b').words.map((w) => w.text)).toEqual(['a', '-', 'b']);
  });

  it('round-trips through formatQuery', () => {
    const text = 'category:"Data at risk" -event_type:policy_violation path:/hooks* "quoted word" -x';
    expect(parseQuery(formatQuery(parseQuery(text)))).toEqual(parseQuery(text));
  });
});
