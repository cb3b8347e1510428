// Parsed query -> SQL WHERE clause over the deliveries table (parameterised, never spliced).
import type { FieldTerm, ParsedQuery, QueryField } from '../common/query.ts';
import { categoryFacetOf } from '../common/catalog.ts';
import { parseAttemptValue, parseTimeValue, termProblem, type AttemptMatch } from '../common/query-values.ts';

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
  /**
   * Id bounds that hold every row received in [from, to) (null: open), or null when
   * unknown: they let a newest-first walk start and stop near the time range (time-bounds.ts).
   */
  idBounds?: (from: number | null, to: number | null) => { above: number | null; below: number | null } | null;
  /** What relative times (`after:15m`) count from; Date.now() when absent. */
  now?: number;
}

/** The column a field filters, or null for fields that are not one nullable column. */
const COLUMN: Record<QueryField, string | null> = {
  category: 'category_facet',
  event_type: 'event_type',
  sensitivity: 'sensitivity',
  sig: 'signature',
  ua: 'user_agent',
  path: 'path',
  method: 'method',
  replay: 'replay_outcome',
  forward: 'forward_outcome',
  attempt: null,
  via: null,
  target: null,
  output: null,
  after: null,
  before: null,
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

  const now = options.now ?? Date.now();
  const positive = new Map<QueryField, FieldTerm[]>();
  for (const term of query.fields) {
    if (term.negate) {
      // NULL != x is NULL in SQL; a row without the field must still pass "-field:x".
      const [sql, p, nullable] = termSql(term, now);
      // "IS NOT NULL" rather than NOT (... IS NULL): the partial outcome indexes serve it.
      const notNone = (term.field === 'replay' || term.field === 'forward') && term.value.toLowerCase() === 'none';
      clauses.push(notNone ? `${COLUMN[term.field]} IS NOT NULL` : nullable ? `(${COLUMN[term.field]} IS NULL OR NOT (${sql}))` : `NOT (${sql})`);
      params.push(...p);
    } else {
      positive.set(term.field, [...(positive.get(term.field) ?? []), term]);
    }
  }
  // category + event_type: the event_type index holds the category facet too, so it finds
  // the newest rows of both and checks the facet without reading rows. Unary + keeps the
  // planner off the category index, which would read a quarter of the table for a rare pair.
  const viaEventType = positive.has('event_type') && positive.has('category');
  // attempt:, via: and target: together describe one attempt: `via:forward attempt:5xx` is a
  // forward that got a 5xx, not a forward and, maybe another time, a 5xx.
  const oneAttempt: [string, unknown[]][] = [];
  for (const field of ATTEMPT_FIELDS) {
    const terms = positive.get(field);
    if (!terms) continue;
    positive.delete(field);
    const parts = terms.map((t) => attemptCondition(t));
    oneAttempt.push([parts.length === 1 ? parts[0]![0] : `(${parts.map((p) => p[0]).join(' OR ')})`, parts.flatMap((p) => p[1])]);
  }
  if (oneAttempt.length > 0) {
    clauses.push(`id IN (SELECT delivery_id FROM attempts WHERE ${oneAttempt.map((c) => c[0]).join(' AND ')})`);
    for (const c of oneAttempt) params.push(...c[1]);
  }
  // replay:/forward: ok or failed: few rows have an outcome at all, so walk that partial index
  // and check the other columns per row (+ keeps their indexes out of the plan; walking the
  // event_type index for a rarely replayed type read tens of thousands of rows).
  const viaOutcome = (['replay', 'forward'] as const).some((f) => positive.get(f)?.every((t) => t.value.toLowerCase() !== 'none'));
  for (const [field, terms] of positive) {
    const parts = terms.map((t) => termSql(t, now));
    const sql = parts.length === 1 ? parts[0]![0] : `(${parts.map((p) => p[0]).join(' OR ')})`;
    const column = COLUMN[field];
    const unindexed = column !== null && field !== 'replay' && field !== 'forward' && (viaOutcome || (viaEventType && field === 'category'));
    clauses.push(unindexed ? sql.replaceAll(column, `+${column}`) : sql);
    for (const p of parts) params.push(...p[1]);
  }
  const bounds = options.idBounds && timeRange(positive, now);
  const ids = bounds ? options.idBounds!(bounds.from, bounds.to) : null;
  if (ids?.above != null) clauses.push('id > ?'), params.push(ids.above);
  if (ids?.below != null) clauses.push('id < ?'), params.push(ids.below);

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

/** SQL for one positive term, its parameters, and whether its column may be NULL. */
function termSql(term: FieldTerm, now: number): [string, unknown[], boolean] {
  // A value that means nothing matches nothing (the API answers it 400 before it gets here).
  if (termProblem(term)) return ['0', [], false];
  switch (term.field) {
    case 'replay':
    case 'forward': {
      const column = COLUMN[term.field]!;
      const v = term.value.toLowerCase();
      return v === 'none' ? [`${column} IS NULL`, [], false] : [`${column} = ?`, [v], true];
    }
    case 'attempt':
    case 'via':
    case 'target': {
      const [cond, p] = attemptCondition(term);
      return [`id IN (SELECT delivery_id FROM attempts WHERE ${cond})`, p, false];
    }
    case 'output': {
      // Outputs linked to the delivery (outputs_delivery index); 'none' is the negation of 'any'.
      const v = term.value.toLowerCase();
      if (v === 'none') return ['id NOT IN (SELECT delivery_id FROM outputs WHERE delivery_id IS NOT NULL)', [], false];
      if (v === 'any') return ['id IN (SELECT delivery_id FROM outputs WHERE delivery_id IS NOT NULL)', [], false];
      return ['id IN (SELECT delivery_id FROM outputs WHERE delivery_id IS NOT NULL AND sink = ?)', [v], false];
    }
    case 'after':
      return ['received_at >= ?', [parseTimeValue(term.value, now)], false];
    case 'before':
      return ['received_at < ?', [parseTimeValue(term.value, now)], false];
  }
  const column = COLUMN[term.field]!;
  const value = normalizeValue(term.field, term.value);
  // Facets show a missing value as "(none)"; filtering by it means the field is absent.
  if (value === NONE) return [`${column} IS NULL`, [], false];
  if (term.field === 'path' && value.endsWith('*')) {
    const prefix = value.slice(0, -1).replace(/[\\%_]/g, '\\$&');
    return [`${column} LIKE ? ESCAPE '\\'`, [prefix + '%'], true];
  }
  return [`${column} = ?`, [value], true];
}

const ATTEMPT_FIELDS = ['attempt', 'via', 'target'] as const;

/** The condition on one attempt row for an attempt:, via: or target: term (indexed: status, status_class, kind, target). */
function attemptCondition(term: FieldTerm): [string, unknown[]] {
  if (termProblem(term)) return ['0', []];
  if (term.field === 'via') return ['kind = ?', [term.value.toLowerCase()]];
  if (term.field === 'target') {
    if (!term.value.endsWith('*')) return ['target = ?', [term.value]];
    return ["target LIKE ? ESCAPE '\\'", [term.value.slice(0, -1).replace(/[\\%_]/g, '\\$&') + '%']];
  }
  const m = parseAttemptValue(term.value)!;
  return attemptStatusCondition(m);
}

function attemptStatusCondition(m: AttemptMatch): [string, unknown[]] {
  switch (m.kind) {
    case 'status': return ['status = ?', [m.status]];
    case 'class': return ['status_class = ?', [m.cls]];
    case 'timeout': return ["status_class = 'timeout'", []];
    case 'error': return ["status_class IN ('timeout', 'error')", []];
    case 'ok': return ['ok = 1', []];
    case 'failed': return ['ok = 0', []];
  }
}

/** The time range every match lies in (alternatives of one field widen it), or null. */
function timeRange(positive: Map<QueryField, FieldTerm[]>, now: number): { from: number | null; to: number | null } | null {
  const times = (field: 'after' | 'before') => (positive.get(field) ?? []).map((t) => parseTimeValue(t.value, now));
  const after = times('after');
  const before = times('before');
  if (after.length === 0 && before.length === 0) return null;
  if (after.includes(null) || before.includes(null)) return null;
  return {
    from: after.length ? Math.min(...(after as number[])) : null,
    to: before.length ? Math.max(...(before as number[])) : null,
  };
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
