// The attempt view's line diff: pretty-printed JSON, one changed value is one removed and one
// added line, unchanged lines kept in order; non-JSON compared as it is.
import { describe, expect, it } from 'vitest';
import { countChanges, diffLines, prettyForDiff } from '../../ui/state/line-diff.ts';

describe('diffLines', () => {
  it('shows one changed JSON value as one removed and one added line', () => {
    const stored = '{"title":"Anomaly detected","sensitivity":"High","data_types":["Email"]}';
    const edited = '{"title":"Anomaly detected","sensitivity":"Low","data_types":["Email"]}';
    const lines = diffLines(prettyForDiff(stored), prettyForDiff(edited));
    expect(lines.filter((l) => l.op !== 'same')).toEqual([
      { op: 'removed', text: '  "sensitivity": "High",' },
      { op: 'added', text: '  "sensitivity": "Low",' },
    ]);
    expect(lines.filter((l) => l.op !== 'added').map((l) => l.text).join('\n')).toBe(prettyForDiff(stored));
    expect(lines.filter((l) => l.op !== 'removed').map((l) => l.text).join('\n')).toBe(prettyForDiff(edited));
  });

  it('finds insertions in the middle without marking the rest changed', () => {
    const lines = diffLines('a\nb\nc\nd', 'a\nb\nx\nc\nd');
    expect(lines).toEqual([
      { op: 'same', text: 'a' }, { op: 'same', text: 'b' }, { op: 'added', text: 'x' }, { op: 'same', text: 'c' }, { op: 'same', text: 'd' },
    ]);
    expect(countChanges(lines)).toEqual({ removed: 0, added: 1 });
  });

  it('diffs text that is not JSON as it is, and equal bodies as all same', () => {
    expect(prettyForDiff('{not json')).toBe('{not json');
    expect(countChanges(diffLines('x\ny', 'x\ny'))).toEqual({ removed: 0, added: 0 });
    expect(countChanges(diffLines('p\nq\nr', 'p\nz\nr'))).toEqual({ removed: 1, added: 1 });
  });
});
