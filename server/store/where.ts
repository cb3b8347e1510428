// Parsed query -> SQL WHERE clause over the deliveries table (parameterised, never spliced).
import type { FieldTerm, ParsedQuery, QueryField } from '../query/parse.ts';
import { categoryFacetOf } from '../soveren/catalog.ts';

export interface SqlWhere {
  sql: string; // "1" when there is no condition
  params: unknown[];
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
export function buildWhere(query: ParsedQuery): SqlWhere {
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
  for (const terms of positive.values()) {
    const parts = terms.map(termSql);
    clauses.push(parts.length === 1 ? parts[0]![0] : `(${parts.map((p) => p[0]).join(' OR ')})`);
    for (const p of parts) params.push(...p[1]);
  }

  const include = query.words.filter((w) => !w.negate).map((w) => ftsExpression(w.text)).filter(Boolean);
  if (include.length > 0) {
    clauses.push('id IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ?)');
    params.push(include.join(' AND '));
  }
  for (const w of query.words.filter((w) => w.negate)) {
    const expr = ftsExpression(w.text);
    if (!expr) continue;
    clauses.push('id NOT IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ?)');
    params.push(expr);
  }
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
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

/**
 * FTS5 expression for one free word: its tokens (as unicode61 splits them) each as a
 * quoted prefix, all required. Quoting means user input is never FTS syntax.
 */
function ftsExpression(text: string): string {
  const tokens = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND ');
}
