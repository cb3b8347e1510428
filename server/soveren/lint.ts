// Event object -> findings: what in a delivery departs from Soveren's documented contract.
// Findings are advice for the connector author; they never change the receiver's answer.
import type { Finding } from '../common/protocol.ts';
import { KNOWN_FIELDS, SENSITIVITIES, categoryOfEventType, findCategory } from '../common/catalog.ts';

// JS `Date.prototype.toISOString()` shape, which Soveren documents for `time`; offsets and
// missing milliseconds are accepted as ISO 8601 but noted.
const JS_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// The same pattern is `time` in the JSON Schemas (schema.ts), so lint and schema agree.
export const ISO_8601_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$';
const ISO_8601 = new RegExp(ISO_8601_PATTERN);

const known = new Set(KNOWN_FIELDS);

/** Findings for a parsed JSON body. */
export function lintEvent(event: unknown): Finding[] {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    const kind = Array.isArray(event) ? 'an array' : event === null ? 'null' : `a ${typeof event}`;
    return [error('not_an_object', `the body is ${kind}; Soveren sends one JSON event object`)];
  }
  const e = event as Record<string, unknown>;
  const findings: Finding[] = [];

  for (const field of ['title', 'category', 'event_type'] as const) {
    if (!(field in e)) findings.push(warning(`missing_${field}`, `the event has no "${field}" field`));
    else if (typeof e[field] !== 'string') findings.push(error(`bad_${field}`, `"${field}" should be a string, got ${describe(e[field])}`));
  }

  const category = typeof e.category === 'string' ? e.category : undefined;
  const eventType = typeof e.event_type === 'string' ? e.event_type : undefined;
  const info = category === undefined ? undefined : findCategory(category);
  if (category !== undefined && !info) {
    findings.push(warning('unknown_category', `category "${category}" is not a documented category (kept as its own facet)`));
  } else if (info && category !== info.display) {
    findings.push(info_('category_form', `category "${category}" is an older or slug form of "${info.display}"; handle every form`));
  }
  if (eventType !== undefined) {
    const home = categoryOfEventType(eventType);
    if (!home) {
      findings.push(warning('unknown_event_type', `event_type "${eventType}" is not documented; a forward-compatible connector accepts it`));
    } else if (info && home.facet !== info.facet) {
      findings.push(warning('category_mismatch', `event_type "${eventType}" is documented under "${home.display}", not "${category}"`));
    }
  }

  if ('sensitivity' in e) {
    const s = e.sensitivity;
    if (typeof s !== 'string' || !(SENSITIVITIES as readonly string[]).includes(s)) {
      findings.push(warning('bad_sensitivity', `sensitivity ${describe(s)} is not one of High, Medium, Low`));
    }
  }

  if ('time' in e) {
    const t = e.time;
    if (typeof t !== 'string' || !ISO_8601.test(t) || Number.isNaN(Date.parse(t))) {
      findings.push(error('bad_time', `time ${describe(t)} is not an ISO 8601 timestamp`));
    } else if (!JS_ISO.test(t)) {
      findings.push(info_('time_format', `time "${t}" is ISO 8601 but not the JS toISOString() form Soveren sends`));
    }
  }

  if ('data_types' in e && !(Array.isArray(e.data_types) && e.data_types.every((d) => typeof d === 'string'))) {
    findings.push(warning('bad_data_types', 'data_types should be an array of strings'));
  }
  if ('event_triggered_by' in e && e.event_triggered_by !== 'sending' && e.event_triggered_by !== 'receiving') {
    findings.push(warning('bad_event_triggered_by', `event_triggered_by ${describe(e.event_triggered_by)} is not "sending" or "receiving"`));
  }

  const extra = Object.keys(e).filter((k) => !known.has(k));
  if (extra.length > 0) {
    findings.push(info_('extra_fields', `fields not in Soveren's docs (kept): ${extra.slice(0, 10).join(', ')}${extra.length > 10 ? ', ...' : ''}`));
  }
  return findings;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export function error(code: string, message: string): Finding {
  return { code, severity: 'error', message };
}
export function warning(code: string, message: string): Finding {
  return { code, severity: 'warning', message };
}
function info_(code: string, message: string): Finding {
  return { code, severity: 'info', message };
}
export { info_ as info };
