// Search completion: fields while a word has no colon, then values (counted facet values
// first, then the known ones), keeping a leading "-" and quoting what needs it.
import { describe, expect, it } from 'vitest';
import type { Facets } from '../../server/common/protocol.ts';
import { parseQuery } from '../../server/common/query.ts';
import { queryProblem } from '../../server/common/query-values.ts';
import { applySuggestion, completeQuery } from '../../ui/state/completion.ts';

const FACETS: Facets = {
  total: 3, category: [], sensitivity: [], signature: [], userAgent: [],
  eventType: [{ value: 'policy_violation', count: 2 }, { value: 'custom type', count: 1 }],
  path: [{ value: '/hooks/a', count: 3 }],
};

describe('search completion', () => {
  it('offers field names for a bare word, none for free text', () => {
    expect(completeQuery('ev', 2, null)!.suggestions.map((s) => s.label)).toEqual(['event_type:']);
    expect(completeQuery('category:data_at_risk -s', 24, null)!.suggestions.map((s) => s.insert)).toEqual(['-sensitivity:', '-sig:']);
    expect(completeQuery('zzz', 3, null)).toBeNull();
    expect(completeQuery('', 0, null)).toBeNull();
  });

  it('offers counted values first, then known ones, filtered by what is typed', () => {
    const c = completeQuery('type:', 5, FACETS)!;
    expect(c.suggestions.slice(0, 2).map((s) => [s.label, s.note])).toEqual([['policy_violation', '2'], ['custom type', '1']]);
    expect(c.suggestions.every((s) => s.insert.startsWith('event_type:'))).toBe(true);
    expect(completeQuery('sig:in', 6, null)!.suggestions.map((s) => s.label)).toEqual(['invalid']);
    expect(completeQuery('replay:', 7, null)!.suggestions.map((s) => s.label)).toEqual(['ok', 'failed', 'none']);
    expect(completeQuery('nofield:x', 9, null)).toBeNull();
  });

  it('replaces the word with a token the server parses, quoting when needed', () => {
    const text = 'words -type:cu more';
    const c = completeQuery(text, 14, FACETS)!;
    const s = c.suggestions.find((x) => x.label === 'custom type')!;
    const out = applySuggestion(text, c, s);
    expect(out.text).toBe('words -event_type:"custom type" more');
    expect(parseQuery(out.text).fields).toEqual([{ field: 'event_type', value: 'custom type', negate: true }]);
    expect(queryProblem(parseQuery(out.text))).toBeNull();
    const f = completeQuery('ca', 2, null)!;
    expect(applySuggestion('ca', f, f.suggestions[0]!)).toEqual({ text: 'category:', caret: 9 });
    const v = completeQuery('sig:va', 6, null)!;
    expect(applySuggestion('sig:va', v, v.suggestions[0]!)).toEqual({ text: 'sig:valid ', caret: 10 });
  });
});
