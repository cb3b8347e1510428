// Completion for the search box: field names while a word has no colon yet, then values for
// the field (the facet values the server counted, then the known ones: verdicts, outcomes,
// event types, relative times). Pure: text and caret in, suggestions and the edit out.
import type { Facets } from '../../server/common/protocol.ts';
import { CATEGORIES, EVENT_TYPES, SENSITIVITIES, SIGNATURE_VERDICTS, USER_AGENT_VERDICTS } from '../../server/common/catalog.ts';
import { OUTCOME_VALUES, OUTPUT_VALUES, VIA_VALUES } from '../../server/common/query-values.ts';
import { FIELD_ALIASES, QUERY_FIELDS, type QueryField } from '../../server/common/query.ts';
import { formatToken } from './query.ts';

export interface Suggestion {
  /** What the list shows. */
  label: string;
  /** A short note beside it (a count, "field"). */
  note: string;
  /** The text that replaces the word being typed. */
  insert: string;
}

export interface Completion {
  /** The word being completed: [start, end) in the text. */
  start: number;
  end: number;
  suggestions: Suggestion[];
}

const MAX = 12;

const KNOWN: Partial<Record<QueryField, readonly string[]>> = {
  category: CATEGORIES.map((c) => c.facet),
  event_type: EVENT_TYPES,
  sensitivity: SENSITIVITIES,
  sig: SIGNATURE_VERDICTS,
  ua: USER_AGENT_VERDICTS,
  method: ['POST', 'GET', 'PUT'],
  replay: OUTCOME_VALUES,
  forward: OUTCOME_VALUES,
  attempt: ['ok', 'failed', '2xx', '4xx', '5xx', '401', 'timeout', 'error'],
  via: VIA_VALUES,
  output: OUTPUT_VALUES,
  after: ['15m', '1h', '1d', '1w'],
  before: ['15m', '1h', '1d', '1w'],
};

const FACET_OF: Partial<Record<QueryField, keyof Omit<Facets, 'total'>>> = {
  category: 'category', event_type: 'eventType', sensitivity: 'sensitivity', sig: 'signature', ua: 'userAgent', path: 'path',
};

/** The word around the caret: from the whitespace before it to the caret (quotes not considered). */
function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  return { start, word: text.slice(start, caret) };
}

function canonical(name: string): QueryField | null {
  const n = name.toLowerCase();
  if ((QUERY_FIELDS as readonly string[]).includes(n)) return n as QueryField;
  return Object.hasOwn(FIELD_ALIASES, n) ? FIELD_ALIASES[n]! : null;
}

export function completeQuery(text: string, caret: number, facets: Facets | null): Completion | null {
  const { start, word } = wordAt(text, caret);
  const negated = word.startsWith('-');
  const body = negated ? word.slice(1) : word;
  const colon = body.indexOf(':');
  let suggestions: Suggestion[];
  if (colon < 0) {
    if (!/^[A-Za-z_]+$/.test(body)) return null;
    const prefix = body.toLowerCase();
    suggestions = QUERY_FIELDS.filter((f) => f.startsWith(prefix) && f !== prefix).map((f) => ({ label: `${f}:`, note: 'field', insert: `${negated ? '-' : ''}${f}:` }));
  } else {
    const field = canonical(body.slice(0, colon));
    if (field === null) return null;
    const typed = body.slice(colon + 1).replace(/^"/, '').toLowerCase();
    const seen = new Set<string>();
    const values: { value: string; note: string }[] = [];
    const add = (value: string, note: string) => {
      const key = value.toLowerCase();
      if (seen.has(key) || !key.startsWith(typed) || key === typed) return;
      seen.add(key);
      values.push({ value, note });
    };
    const facet = FACET_OF[field];
    if (facet && facets) for (const c of facets[facet]) add(c.value, String(c.count));
    for (const v of KNOWN[field] ?? []) add(v, '');
    suggestions = values.map(({ value, note }) => ({ label: value, note, insert: formatToken(field, value, negated) }));
  }
  if (suggestions.length === 0) return null;
  return { start, end: caret, suggestions: suggestions.slice(0, MAX) };
}

/** The text with the word replaced by a suggestion (a value gets a space after it), and the new caret. */
export function applySuggestion(text: string, completion: Completion, s: Suggestion): { text: string; caret: number } {
  const tail = text.slice(completion.end);
  const spacer = s.insert.endsWith(':') || tail.startsWith(' ') ? '' : ' ';
  const head = text.slice(0, completion.start) + s.insert + spacer;
  return { text: head + tail, caret: head.length };
}
