// UI query helpers: facet toggling produces queries the server parses as intended.
import { describe, expect, it } from 'vitest';
import { QUERY_FIELDS as UI_FIELDS, formatToken, normalizeQuery, tokenState, tokenizeQuery, toggleFacetToken } from '../../ui/state/query.ts';
import { QUERY_FIELDS as SERVER_FIELDS, parseQuery } from '../../server/common/query.ts';

describe('tokenizeQuery', () => {
  it('splits fields, negation, quotes and free words', () => {
    const tokens = tokenizeQuery('category:"Data at risk" -sig:valid  hello "two words" -nope');
    expect(tokens.map((t) => [t.field, t.value, t.negated])).toEqual([
      ['category', 'Data at risk', false],
      ['sig', 'valid', true],
      [null, 'hello', false],
      [null, 'two words', false],
      [null, 'nope', true],
    ]);
  });

  it('maps the server aliases onto fields and keeps unknown names as words', () => {
    const tokens = tokenizeQuery('signature:invalid type:new_data_type https://x.example/a');
    expect(tokens.map((t) => t.field)).toEqual(['sig', 'event_type', null]);
  });

  it('keeps escaped quotes inside a quoted value', () => {
    expect(tokenizeQuery('path:"/a \\"b\\" c"')[0]!.value).toBe('/a "b" c');
  });
});

describe('kept in step with the server parser', () => {
  // The UI may import only types from the server, so it carries its own copy of the field
  // names and aliases; this fails as soon as the two disagree.
  it('knows the same fields and resolves every alias the same way', () => {
    expect([...UI_FIELDS]).toEqual([...SERVER_FIELDS]);
    const names = [...SERVER_FIELDS, 'type', 'eventtype', 'signature', 'verdict', 'useragent', 'user_agent', 'Type', 'SIG', 'title', 'foo', 'https'];
    for (const name of names) {
      expect(tokenizeQuery(`${name}:x`)[0]!.field, name).toBe(parseQuery(`${name}:x`).fields[0]?.field ?? null);
    }
  });
});

describe('toggleFacetToken', () => {
  it('adds, removes, negates and flips', () => {
    expect(toggleFacetToken('', 'event_type', 'policy_violation', false)).toBe('event_type:policy_violation');
    expect(toggleFacetToken('event_type:policy_violation', 'event_type', 'policy_violation', false)).toBe('');
    expect(toggleFacetToken('x', 'sig', 'valid', true)).toBe('x -sig:valid');
    expect(toggleFacetToken('x -sig:valid', 'sig', 'valid', true)).toBe('x');
    expect(toggleFacetToken('-sig:valid', 'sig', 'valid', false)).toBe('');
    expect(toggleFacetToken('sig:valid y', 'sig', 'valid', true)).toBe('-sig:valid y');
  });

  it('recognises any naming form of a category as the same facet', () => {
    expect(tokenState('category:"Data at risk"', 'category', 'data_at_risk')).toBe('include');
    expect(tokenState('-category:policy_violations', 'category', 'data_at_risk')).toBe('exclude');
    expect(toggleFacetToken('category:"Data at risk" q', 'category', 'data_at_risk', false)).toBe('q');
  });

  it('compares sensitivity and verdicts case-insensitively, paths exactly', () => {
    expect(tokenState('sensitivity:high', 'sensitivity', 'High')).toBe('include');
    expect(tokenState('path:/A', 'path', '/a')).toBeNull();
  });

  it('quotes values so the server parser reads them back unchanged', () => {
    for (const value of ['/hooks/a b', 'say "hi"', 'back\\slash', '', 'plain']) {
      const q = toggleFacetToken('free', 'path', value, true);
      expect(parseQuery(q).fields).toEqual([{ field: 'path', value, negate: true }]);
      expect(parseQuery(q).words).toEqual([{ text: 'free', negate: false }]);
      expect(tokenState(q, 'path', value)).toBe('exclude');
    }
  });
});

describe('formatToken and normalizeQuery', () => {
  it('formats tokens', () => {
    expect(formatToken('sensitivity', 'High')).toBe('sensitivity:High');
    expect(formatToken('category', 'Data at risk', true)).toBe('-category:"Data at risk"');
  });
  it('collapses whitespace outside quotes only', () => {
    expect(normalizeQuery('  a   b "c  d"  ')).toBe('a b "c  d"');
  });
});
