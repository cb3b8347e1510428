// The JSON tree's copy buttons: jq paths that jq itself would accept, and values as JSON text
// that parses back to the same value (number spellings and repeated keys as received).
import { describe, expect, it } from 'vitest';
import { copyableValue, formatJsonPath, formatJsonValue } from '../../ui/state/json-copy.ts';
import { parseJsonTree } from '../../ui/state/json-tree.ts';

function tree(text: string) {
  const r = parseJsonTree(text);
  if (!r.ok) throw new Error(r.error);
  return r.node;
}

describe('json copy', () => {
  it('writes jq paths, quoting keys that are not identifiers', () => {
    expect(formatJsonPath([])).toBe('.');
    expect(formatJsonPath(['resource', 'tags', 0])).toBe('.resource.tags[0]');
    expect(formatJsonPath([2, 'a'])).toBe('.[2].a');
    expect(formatJsonPath(['odd key', 'x-y', '"q"'])).toBe('.["odd key"]["x-y"]["\\"q\\""]');
    expect(formatJsonPath(['a', 'x-y'])).toBe('.a["x-y"]');
  });

  it('copies a value as JSON that parses back to it, keeping the number as sent', () => {
    const text = '{"a":{"b":[1,2.50,{"c":null}]},"s":"x\\ny","t":true,"e":{},"l":[]}';
    const node = tree(text);
    expect(JSON.parse(formatJsonValue(node))).toEqual(JSON.parse(text));
    expect(formatJsonValue(node)).toContain('2.50');
    expect(copyableValue(tree('"plain text"'))).toBe('plain text');
    expect(copyableValue(tree('[true]'))).toBe('[\n  true\n]');
  });
});
