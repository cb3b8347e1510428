// What the JSON tree's copy buttons put on the clipboard: a value as JSON text (exactly as
// parsed: number spellings and repeated keys kept) or a string's own text, and the path to it
// in jq syntax (`.resource.tags[0]`, `.["odd key"]`), which pastes straight into jq.
import type { JsonNode } from './json-tree.ts';

/** One step from a container to a child: an object key or an array index. */
export type PathStep = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatJsonPath(steps: readonly PathStep[]): string {
  if (steps.length === 0) return '.';
  return steps.map((s) => (typeof s === 'number' ? `[${s}]` : PLAIN_KEY.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('').replace(/^\[/, '.[');
}

/** JSON text of a node, indented by two spaces. */
export function formatJsonValue(node: JsonNode, indent = ''): string {
  const inner = `${indent}  `;
  switch (node.kind) {
    case 'object':
      if (node.entries.length === 0) return '{}';
      return `{\n${node.entries.map((e) => `${inner}${JSON.stringify(e.key)}: ${formatJsonValue(e.value, inner)}`).join(',\n')}\n${indent}}`;
    case 'array':
      if (node.items.length === 0) return '[]';
      return `[\n${node.items.map((n) => `${inner}${formatJsonValue(n, inner)}`).join(',\n')}\n${indent}]`;
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
      return node.raw;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

/** What "copy value" copies: a string's text itself (what one pastes into a search), anything else as JSON. */
export function copyableValue(node: JsonNode): string {
  return node.kind === 'string' ? node.value : formatJsonValue(node);
}
