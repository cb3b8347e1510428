// Parsed query -> SQL WHERE clause over the deliveries table (parameterised, never spliced).
import type { FieldTerm, ParsedQuery, QueryField } from '../shared/query.ts';
import { categoryFacetOf } from '../shared/catalog.ts';

export interface SqlWhere {
  sql: string; // "1" when there is no condition
  params: unknown[];
  /** With `separateMatch`: the FTS5 expression every row must match (not in `sql`), or null. */
  match: string | null;
}

export interface WhereOptions {
  /**
   * The index's terms that start with `prefix` (a lowercase ASCII token), or null to leave
   * the prefix to FTS5. FTS5 answers `"tok"*` by merging the full doclists of every term
   * with that prefix before it can return the newest row; a short list of exact terms lets
   * it walk from the newest row and stop at the page size.
   */
  expandPrefix?: (prefix: string) => string[] | null;
  /** Return the free-text MATCH separately, for a query that walks the FTS index itself. */
  separateMatch?: boolean;
}

const COLUMN: Record<QueryField, string> = {
  category: 'category_facet',
  event_type: 'event_type',
  sensitivity: 'sensitivity',
  sig: 'signature',
  ua: 'user_agent',
  path: 'path',
  method: 'method',
};

/** Bring a user-typed value to the stored form ("high" -> "High", any category form -> facet). */
function normalizeValue(field: QueryField, value: string): string {
  switch (field) {
    case 'category':
      return categoryFacetOf(value);
    case 'sensitivity': {
      const lower = value.toLowerCase();
      return ['high', 'medium', 'low'].includes(lower) ? lower[0]!.toUpperCase() + lower.slice(1) : value;
    }
    case 'sig':
    case 'ua':
      return value.toLowerCase();
    case 'method':
      return value.toUpperCase();
    default:
      return value;
  }
}

/**
 * Positive terms on the same field are alternatives (two facet values clicked = either);
 * negative terms each exclude; free words all have to match (FTS5, prefix per token).
 */
export function buildWhere(query: ParsedQuery, options: WhereOptions = {}): SqlWhere {
  const clauses: string[] = [];
  const params: unknown[] = [];

  const positive = new Map<QueryField, FieldTerm[]>();
  for (const term of query.fields) {
    if (term.negate) {
      // NULL != x is NULL in SQL; a row without the field must still pass "-field:x".
      const [sql, p] = termSql(term);
      clauses.push(term.value === NONE ? `NOT (${sql})` : `(${COLUMN[term.field]} IS NULL OR NOT (${sql}))`);
      params.push(...p);
    } else {
      positive.set(term.field, [...(positive.get(term.field) ?? []), term]);
    }
  }
  // category + event_type: the event_type index holds the category facet too, so it finds
  // the newest rows of both and checks the facet without reading rows. Unary + keeps the
  // planner off the category index, which would read a quarter of the table for a rare pair.
  const viaEventType = positive.has('event_type') && positive.has('category');
  for (const [field, terms] of positive) {
    const parts = terms.map(termSql);
    const sql = parts.length === 1 ? parts[0]![0] : `(${parts.map((p) => p[0]).join(' OR ')})`;
    clauses.push(viaEventType && field === 'category' ? sql.replaceAll(COLUMN.category, `+${COLUMN.category}`) : sql);
    for (const p of parts) params.push(...p[1]);
  }

  let match: string | null = null;
  const include = query.words.filter((w) => !w.negate).map((w) => ftsExpression(w.text, options.expandPrefix));
  if (include.includes(NEVER)) {
    clauses.push('0'); // a word with no term in the index: nothing matches
  } else if (include.some(Boolean)) {
    match = include.filter(Boolean).join(' AND ');
    if (!options.separateMatch) {
      clauses.push('id IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ?)');
      params.push(match);
      match = null;
    }
  }
  for (const w of query.words.filter((w) => w.negate)) {
    const expr = ftsExpression(w.text, options.expandPrefix);
    if (!expr || expr === NEVER) continue; // excluding what never matches excludes nothing
    clauses.push('id NOT IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ?)');
    params.push(expr);
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params, match };
}

export const NONE = '(none)';

function termSql(term: FieldTerm): [string, unknown[]] {
  const column = COLUMN[term.field];
  const value = normalizeValue(term.field, term.value);
  // Facets show a missing value as "(none)"; filtering by it means the field is absent.
  if (value === NONE) return [`${column} IS NULL`, []];
  if (term.field === 'path' && value.endsWith('*')) {
    const prefix = value.slice(0, -1).replace(/[\\%_]/g, '\\$&');
    return [`${column} LIKE ? ESCAPE '\\'`, [prefix + '%']];
  }
  return [`${column} = ?`, [value]];
}

const NEVER = '\u0000never';
/** Prefixes that can be listed as exact terms: ASCII (folded exactly as unicode61 folds it). */
const EXPANDABLE = /^[a-z0-9]+$/;
/** More terms than this and FTS5's own prefix merge is the cheaper plan. */
export const MAX_EXPANSION = 64;

/**
 * FTS5 expression for one free word: its tokens (as unicode61 splits them) each as a
 * quoted prefix, all required. Quoting means user input is never FTS syntax. A prefix may be
 * given as the exact terms it stands for (same rows); NEVER when one of them has none.
 */
function ftsExpression(text: string, expandPrefix?: WhereOptions['expandPrefix']): string {
  const tokens = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const parts: string[] = [];
  for (const t of tokens) {
    const lower = t.toLowerCase();
    const terms = expandPrefix && EXPANDABLE.test(lower) ? expandPrefix(lower) : null;
    if (terms && terms.length === 0) return NEVER;
    if (terms && terms.length <= MAX_EXPANSION) parts.push(terms.length === 1 ? quote(terms[0]!) : `(${terms.map(quote).join(' OR ')})`);
    else parts.push(`${quote(t)}*`);
  }
  return parts.join(' AND ');
}

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}
