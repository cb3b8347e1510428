// The `q` search syntax on the UI side: split a query into tokens (keeping the user's
// own spelling), and add, negate or remove one `field:value` token for facet clicks.
// The server parses q for real; this only needs to agree on token boundaries.
import { FIELD_ALIASES, QUERY_FIELDS, type QueryField } from '../../server/common/query.ts';
import { toCategoryFacet } from './categories.ts';

// Fields and their aliases come from the server's parser itself (a pure module), so the
// two can never disagree.
export { QUERY_FIELDS, type QueryField } from '../../server/common/query.ts';

export interface QueryToken {
  /** The token exactly as written, including a leading `-`. */
  raw: string;
  /** Known field name, or null for free text. */
  field: QueryField | null;
  value: string;
  negated: boolean;
}

export type TokenState = 'include' | 'exclude' | null;

function canonicalField(name: string): QueryField | null {
  if ((QUERY_FIELDS as readonly string[]).includes(name)) return name as QueryField;
  return Object.hasOwn(FIELD_ALIASES, name) ? FIELD_ALIASES[name]! : null;
}

/** Split on whitespace outside double quotes; `\"` inside quotes does not close them. */
function splitWords(q: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < q.length; i++) {
    const ch = q[i]!;
    if (quoted && ch === '\\' && i + 1 < q.length) {
      current += ch + q[i + 1]!;
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (current) words.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current) words.push(current);
  return words;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (value.startsWith('"')) return value.slice(1).replace(/\\(.)/g, '$1');
  return value;
}

export function tokenizeQuery(q: string): QueryToken[] {
  return splitWords(q).map((raw) => {
    const negated = raw.length > 1 && raw.startsWith('-');
    const body = negated ? raw.slice(1) : raw;
    const match = /^([A-Za-z_]+):(.*)$/s.exec(body);
    const field = match ? canonicalField(match[1]!.toLowerCase()) : null;
    if (match && field !== null) {
      return { raw, field, value: unquote(match[2]!), negated };
    }
    return { raw, field: null, value: unquote(body), negated };
  });
}

/** `field:value`, quoting the value when it holds spaces, quotes or nothing. */
export function formatToken(field: QueryField, value: string, negated = false): string {
  const needsQuotes = value === '' || /[\s"\\]/.test(value);
  const shown = needsQuotes ? `"${value.replace(/[\\"]/g, '\\$&')}"` : value;
  return `${negated ? '-' : ''}${field}:${shown}`;
}

function sameValue(field: QueryField, a: string, b: string): boolean {
  if (field === 'category') return toCategoryFacet(a) === toCategoryFacet(b);
  if (field === 'path') return a === b;
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether the query already filters on this value, and which way. */
export function tokenState(q: string, field: QueryField, value: string): TokenState {
  for (const t of tokenizeQuery(q)) {
    if (t.field === field && sameValue(field, t.value, value)) return t.negated ? 'exclude' : 'include';
  }
  return null;
}

/**
 * A facet click. Plain click: add `field:value`, or remove it when present (either way).
 * Exclude click (Alt/Ctrl/Meta): add `-field:value`, or remove it when already excluded,
 * or flip an include into an exclude.
 */
export function toggleFacetToken(q: string, field: QueryField, value: string, exclude: boolean): string {
  const tokens = tokenizeQuery(q);
  const index = tokens.findIndex((t) => t.field === field && sameValue(field, t.value, value));
  const words = tokens.map((t) => t.raw);
  if (index >= 0) {
    const existing = tokens[index]!;
    if (exclude && !existing.negated) words[index] = formatToken(field, value, true);
    else words.splice(index, 1);
  } else {
    words.push(formatToken(field, value, exclude));
  }
  return words.join(' ');
}

/** The `field:value` tokens of a query, for showing active filters even with no counts. */
export function fieldTokens(q: string, field: QueryField): QueryToken[] {
  return tokenizeQuery(q).filter((t) => t.field === field);
}

/** Collapse whitespace so equivalent queries compare equal (and URLs stay tidy). */
export function normalizeQuery(q: string): string {
  return splitWords(q).join(' ');
}
