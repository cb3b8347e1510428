// A strict JSON parser (RFC 8259) for the body tree view. Unlike JSON.parse it keeps what
// the sender actually wrote: key order (JSON.parse hoists integer-like keys), repeated
// keys, and number literals beyond double precision. Depth is capped so a hostile
// `[[[[...` body cannot overflow the stack; the raw view still shows it.

export type JsonNode =
  | { kind: 'object'; entries: { key: string; value: JsonNode }[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export type JsonParseResult =
  | { ok: true; node: JsonNode }
  | { ok: false; error: string; offset: number };

class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJsonTree(text: string, maxDepth = 200): JsonParseResult {
  let pos = 0;

  const fail = (message: string): never => {
    throw new ParseError(message, pos);
  };
  const skipSpace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const expect = (ch: string) => {
    if (text[pos] !== ch) fail(`expected '${ch}'`);
    pos++;
  };

  const parseString = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      PLAIN_CHARS.lastIndex = pos;
      const m = PLAIN_CHARS.exec(text);
      if (m) {
        out += m[0];
        pos += m[0].length;
      }
      const ch = text[pos];
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === undefined) fail('unterminated string');
      if (ch !== '\\') fail('control character in string');
      const esc = text[pos + 1];
      if (esc === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (esc !== undefined && esc in ESCAPES) {
        out += ESCAPES[esc];
        pos += 2;
      } else {
        fail('bad escape');
      }
    }
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > maxDepth) fail(`nested deeper than ${maxDepth} levels`);
    skipSpace();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const entries: { key: string; value: JsonNode }[] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skipSpace();
        const key = parseString();
        skipSpace();
        expect(':');
        entries.push({ key, value: parseValue(depth + 1) });
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return { kind: 'object', entries };
        } else fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items };
        } else fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return { kind: 'string', value: parseString() };
    if (text.startsWith('true', pos)) {
      pos += 4;
      return { kind: 'boolean', value: true };
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return { kind: 'boolean', value: false };
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { kind: 'null' };
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0) {
      pos += m[0].length;
      return { kind: 'number', raw: m[0] };
    }
    return fail(ch === undefined ? 'unexpected end of input' : 'unexpected character');
  };

  try {
    const node = parseValue(0);
    skipSpace();
    if (pos !== text.length) fail('unexpected data after the JSON value');
    return { ok: true, node };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message, offset: error.offset };
    throw error;
  }
}

/** "{3 keys}", "[2 items]": what a collapsed node shows. */
export function describeContainer(node: JsonNode): string {
  if (node.kind === 'object') return `{${node.entries.length} ${node.entries.length === 1 ? 'key' : 'keys'}}`;
  if (node.kind === 'array') return `[${node.items.length} ${node.items.length === 1 ? 'item' : 'items'}]`;
  return '';
}

/** Keys that appear more than once in an object: legal JSON that receivers disagree on. */
export function duplicateKeys(node: JsonNode): string[] {
  if (node.kind !== 'object') return [];
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const { key } of node.entries) (seen.has(key) ? dup : seen).add(key);
  return [...dup];
}

/**
 * Which containers start expanded: breadth-first from the root while the rows shown stay
 * within `budget`, so a huge body opens quickly and a small one opens fully.
 */
export function initiallyOpen(root: JsonNode, budget = 400, pageSize = 100): WeakSet<JsonNode> {
  const open = new WeakSet<JsonNode>();
  let shown = 1;
  const queue: JsonNode[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    // Only the first page of a container is ever looked at: it may hold 100k children.
    const children = node.kind === 'object' ? node.entries.slice(0, pageSize).map((e) => e.value) : node.kind === 'array' ? node.items.slice(0, pageSize) : null;
    if (children === null) continue;
    const visible = children.length;
    if (node !== root && shown + visible > budget) continue;
    open.add(node);
    shown += visible;
    for (const child of children) if (child.kind === 'object' || child.kind === 'array') queue.push(child);
  }
  return open;
}
