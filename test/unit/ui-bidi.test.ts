// Bidi controls in payload text are split out to be shown as marks, never obeyed.
import { describe, expect, it } from 'vitest';
import { hasBidiControls, markBidi, splitBidi } from '../../ui/state/bidi.ts';

describe('bidi controls', () => {
  it('are found and named, each of the nine', () => {
    const all = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(markBidi(all)).toBe('⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩⟨RLO⟩⟨LRI⟩⟨RLI⟩⟨FSI⟩⟨PDI⟩');
    for (const ch of all) expect(hasBidiControls(`a${ch}b`)).toBe(true);
    // Neighbours of the ranges, and right-to-left letters, are ordinary text.
    expect(hasBidiControls('\u2029\u202f\u2065\u206a עברית \u200f')).toBe(false);
  });

  it('split into text runs and controls in logical order', () => {
    expect(splitBidi('rtl \u202eevil.exe\u202c')).toEqual([
      { text: 'rtl ' }, { control: 'RLO', code: 'U+202E' }, { text: 'evil.exe' }, { control: 'PDF', code: 'U+202C' },
    ]);
    expect(splitBidi('plain')).toEqual([{ text: 'plain' }]);
    expect(splitBidi('')).toEqual([{ text: '' }]);
  });
});
