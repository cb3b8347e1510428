// The body tree parser agrees with JSON.parse on values, keeps what JSON.parse loses, and
// refuses what JSON.parse refuses.
import { describe, expect, it } from 'vitest';
import { duplicateKeys, initiallyOpen, parseJsonTree, type JsonNode } from '../../ui/state/json-tree.ts';

function toValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, toValue(e.value)]));
    case 'array':
      return node.items.map(toValue);
    case 'string':
    case 'boolean':
      return node.value;
    case 'number':
      return Number(node.raw);
    case 'null':
      return null;
  }
}

describe('parseJsonTree', () => {
  it('matches JSON.parse on valid documents', () => {
    const docs = [
      '{"title":"x","n":[1,-2.5e3,0,true,false,null],"o":{"a":{"b":[]}}}',
      ' "\\u00e9\\n\\t\\"\\\\\\/" ',
      '[]', '{}', '0', '-0.0E+1', '"\ud83d\ude00"',
    ];
    for (const doc of docs) {
      const r = parseJsonTree(doc);
      expect(r.ok, doc).toBe(true);
      if (r.ok) expect(toValue(r.node)).toEqual(JSON.parse(doc));
    }
  });

  it('rejects what JSON.parse rejects', () => {
    for (const doc of ['', '{', '{"a":1,}', '[1,]', "{'a':1}", '01', '1.', 'tru', '"a\nb"', '{"a" 1}', '[1] x', 'NaN', '"\\x"']) {
      expect(() => JSON.parse(doc), doc).toThrow();
      expect(parseJsonTree(doc).ok, doc).toBe(false);
    }
  });

  it('keeps key order, repeated keys and exact number literals', () => {
    const r = parseJsonTree('{"b":1,"2":2,"b":3,"big":12345678901234567890123}');
    expect(r.ok).toBe(true);
    if (!r.ok || r.node.kind !== 'object') return;
    expect(r.node.entries.map((e) => e.key)).toEqual(['b', '2', 'b', 'big']);
    expect(duplicateKeys(r.node)).toEqual(['b']);
    expect(r.node.entries[3]!.value).toEqual({ kind: 'number', raw: '12345678901234567890123' });
  });

  it('caps nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = parseJsonTree(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/nested deeper/);
  });

  it('reports where it failed', () => {
    const r = parseJsonTree('{"a": tru}');
    expect(r).toMatchObject({ ok: false, offset: 6 });
  });
});

describe('initiallyOpen', () => {
  const parse = (text: string) => {
    const r = parseJsonTree(text);
    if (!r.ok) throw new Error(r.error);
    return r.node;
  };
  it('opens a small event completely', () => {
    const root = parse('{"a":{"b":{"c":[1,2]}},"d":[{"e":1}]}');
    const open = initiallyOpen(root);
    const all: JsonNode[] = [];
    const walk = (n: JsonNode) => {
      if (n.kind === 'object') { all.push(n); n.entries.forEach((e) => walk(e.value)); }
      if (n.kind === 'array') { all.push(n); n.items.forEach(walk); }
    };
    walk(root);
    expect(all.every((n) => open.has(n))).toBe(true);
  });
  it('keeps a huge body within the row budget', () => {
    const root = parse(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i, tags: Array.from({ length: 50 }, (_, j) => ({ j })) }))));
    const open = initiallyOpen(root, 400, 100);
    expect(open.has(root)).toBe(true);
    if (root.kind !== 'array') throw new Error();
    const opened = root.items.slice(0, 100).filter((n) => open.has(n)).length;
    expect(1 + 100 + opened * 2).toBeLessThanOrEqual(400);
  });
});
