// The UI's own URL: readable, and read back to the same state.
import { describe, expect, it } from 'vitest';
import { buildUrl, readUrlState } from '../../ui/state/url.ts';

describe('url state', () => {
  it('builds readable URLs', () => {
    expect(buildUrl({ q: '', id: null })).toBe('/');
    expect(buildUrl({ q: 'event_type:policy_violation', id: null })).toBe('/?q=event_type:policy_violation');
    expect(buildUrl({ q: 'path:/hooks -sig:valid', id: 5 })).toBe('/?q=path:/hooks+-sig:valid&id=5');
  });

  it('round-trips awkward queries', () => {
    for (const q of ['category:"Data at risk"', 'a&b=c #x', '100% +plus', 'ünï €']) {
      const url = new URL(buildUrl({ q, id: 7 }), 'http://x');
      expect(readUrlState(url.search)).toEqual({ q, id: 7 });
    }
  });

  it('ignores a malformed id', () => {
    expect(readUrlState('?id=abc&q=x')).toEqual({ q: 'x', id: null });
  });
});
