// The search syntax shared by the API, the stream, export and replay:
//   category:data_at_risk  event_type:"policy_violation"  -sig:valid  path:/hooks  free words
// Pure: text in, terms out. Turning terms into SQL is the store's job.

export const QUERY_FIELDS = ['category', 'event_type', 'sensitivity', 'sig', 'ua', 'path', 'method',
  // What happened after receipt (latest replay / forward outcome, any attempt's status) and when it arrived.
  'replay', 'forward', 'attempt', 'via', 'target', 'output', 'after', 'before'] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

/** Other spellings users reach for; mapped to the canonical field. */
export const FIELD_ALIASES: Readonly<Record<string, QueryField>> = {
  type: 'event_type',
  eventtype: 'event_type',
  signature: 'sig',
  verdict: 'sig',
  useragent: 'ua',
  user_agent: 'ua',
  forwarded: 'forward',
  replayed: 'replay',
  since: 'after',
  until: 'before',
};

export interface FieldTerm {
  field: QueryField;
  value: string;
  negate: boolean;
}

export interface WordTerm {
  text: string;
  negate: boolean;
}

export interface ParsedQuery {
  fields: FieldTerm[];
  words: WordTerm[];
}

export const EMPTY_QUERY: ParsedQuery = Object.freeze({ fields: [], words: [] }) as ParsedQuery;

/**
 * Parse a query string. Never throws: an unterminated quote runs to the end, and a
 * `name:value` whose name is not a field is searched as a plain word (URLs contain colons).
 */
export function parseQuery(input: string): ParsedQuery {
  const fields: FieldTerm[] = [];
  const words: WordTerm[] = [];
  let i = 0;
  const s = input;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    let negate = false;
    if (s[i] === '-' && i + 1 < s.length && !/\s/.test(s[i + 1]!)) {
      negate = true;
      i++;
    }
    // A field name is letters/underscores followed by a colon.
    const m = /^([A-Za-z_]+):/.exec(s.slice(i));
    const name = m ? (m[1]!.toLowerCase() as string) : undefined;
    const field = name === undefined ? undefined : canonicalField(name);
    if (field) {
      i += m![0].length;
      const [value, next] = readValue(s, i);
      i = next;
      fields.push({ field, value, negate });
    } else {
      const [text, next] = readValue(s, i);
      i = next;
      if (text !== '') words.push({ text, negate });
    }
  }
  return { fields, words };
}

function canonicalField(name: string): QueryField | undefined {
  if ((QUERY_FIELDS as readonly string[]).includes(name)) return name as QueryField;
  // Own keys only: "constructor:x" is a word, not Object.prototype.constructor.
  return Object.hasOwn(FIELD_ALIASES, name) ? FIELD_ALIASES[name] : undefined;
}

/** Read a quoted ("..." with \" escapes) or bare value starting at i. */
function readValue(s: string, i: number): [string, number] {
  if (s[i] === '"') {
    let out = '';
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      out += s[i];
      i++;
    }
    return [out, i + 1];
  }
  const start = i;
  while (i < s.length && !/\s/.test(s[i]!)) i++;
  return [s.slice(start, i), i];
}

/** Canonical text for a parsed query (quotes values that need them). */
export function formatQuery(q: ParsedQuery): string {
  const parts = [
    ...q.fields.map((t) => `${t.negate ? '-' : ''}${t.field}:${quoteIfNeeded(t.value)}`),
    ...q.words.map((w) => `${w.negate ? '-' : ''}${quoteIfNeeded(w.text)}`),
  ];
  return parts.join(' ');
}

function quoteIfNeeded(v: string): string {
  return v === '' || /[\s"]/.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : v;
}

/**
 * "Show the failed ones": deliveries whose latest replay (or forward) failed and that had a
 * replay (forward) to `target`, the URL as attempts show it (user:password removed).
 */
export function failedQuery(kind: 'replay' | 'forward', target: string): string {
  return formatQuery({
    fields: [{ field: kind, value: 'failed', negate: false }, { field: 'via', value: kind, negate: false }, { field: 'target', value: target, negate: false }],
    words: [],
  });
}

/** Combine two queries (AND). */
export function mergeQueries(a: ParsedQuery, b: ParsedQuery): ParsedQuery {
  return { fields: [...a.fields, ...b.fields], words: [...a.words, ...b.words] };
}
