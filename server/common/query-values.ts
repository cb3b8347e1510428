// What the values of the outcome and time query fields mean (pure, shared with the UI):
//   replay:ok|failed|none  forward:ok|failed|none  attempt:5xx|401|timeout|error|ok|failed
//   via:send|replay|forward|check  target:URL  (with attempt:, all describe one attempt)
//   output:any|none|hec|elastic|syslog|http  (a SIEM sink received an output linked to it)
//   after:2026-12-03T10:00:00Z  before:15m  (ISO time, or relative: s, m, h, d, w ago)
import type { FieldTerm, ParsedQuery, QueryField } from './query.ts';

export const OUTCOME_VALUES = ['ok', 'failed', 'none'] as const;
/** `output:`: any sink, none, or one sink kind. */
export const OUTPUT_VALUES = ['any', 'none', 'hec', 'elastic', 'syslog', 'http'] as const;
/** Kinds of attempt (`via:`): what made the request. */
export const VIA_VALUES = ['send', 'replay', 'forward', 'check'] as const;
export type OutcomeValue = (typeof OUTCOME_VALUES)[number];

/** An attempt: its exact status, a status class, or what became of it. */
export type AttemptMatch =
  | { kind: 'status'; status: number }
  | { kind: 'class'; cls: string } // '1xx' .. '5xx'
  | { kind: 'timeout' } // no answer within the timeout
  | { kind: 'error' } // no answer at all (timeouts included)
  | { kind: 'ok' }
  | { kind: 'failed' };

export function parseAttemptValue(value: string): AttemptMatch | null {
  const v = value.trim().toLowerCase();
  if (/^[1-5]\d\d$/.test(v)) return { kind: 'status', status: Number(v) };
  if (/^[1-5]xx$/.test(v)) return { kind: 'class', cls: v };
  if (v === 'timeout' || v === 'error' || v === 'ok' || v === 'failed') return { kind: v };
  return null;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Epoch ms for an `after:` / `before:` value: relative (`15m` = 15 minutes before `now`) or
 * an ISO 8601 date or date-time (a date alone is midnight UTC, as Date.parse reads it).
 */
export function parseTimeValue(value: string, now: number): number | null {
  const rel = /^(\d{1,6})([smhdw])$/i.exec(value.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase()]!;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value.trim())) return null;
  const ms = Date.parse(value.trim());
  return Number.isFinite(ms) ? ms : null;
}

/** Why this term's value means nothing, in one line naming the field; null when it is fine. */
export function termProblem(term: Pick<FieldTerm, 'field' | 'value'>): string | null {
  const { field, value } = term;
  switch (field as QueryField) {
    case 'replay':
    case 'forward':
      return (OUTCOME_VALUES as readonly string[]).includes(value.toLowerCase()) ? null : `${field}: expects ok, failed or none, got "${value.slice(0, 40)}"`;
    case 'attempt':
      return parseAttemptValue(value) ? null : `attempt: expects a status (401), a class (5xx), timeout, error, ok or failed, got "${value.slice(0, 40)}"`;
    case 'via':
      return (VIA_VALUES as readonly string[]).includes(value.toLowerCase()) ? null : `via: expects send, replay, forward or check, got "${value.slice(0, 40)}"`;
    case 'target':
      return value === '' ? 'target: expects a target URL' : null;
    case 'output':
      return (OUTPUT_VALUES as readonly string[]).includes(value.toLowerCase()) ? null : `output: expects any, none, hec, elastic, syslog or http, got "${value.slice(0, 40)}"`;
    case 'after':
    case 'before':
      return parseTimeValue(value, 0) !== null ? null : `${field}: expects an ISO time (2026-12-03T10:00:00Z) or a relative one (15m, 2h, 1d), got "${value.slice(0, 40)}"`;
    default:
      return null;
  }
}

/** The first problem of a parsed query's field values, or null. */
export function queryProblem(query: ParsedQuery): string | null {
  for (const t of query.fields) {
    const p = termProblem(t);
    if (p) return p;
  }
  return null;
}
