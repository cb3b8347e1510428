// The `attempts` of one NDJSON export line, checked before anything is stored: the file is
// untrusted, so every known field has its type and range, and any other field (a column a
// newer version added) must be a plain value under a plain name. A bad list is one message.
import type { Attempt, ExportedAttempt } from '../common/protocol.ts';
import { redactUrl } from '../sender/target-url.ts';

const KINDS: readonly Attempt['kind'][] = ['send', 'replay', 'forward', 'check'];
const MAX_ATTEMPTS = 10_000;
const MAX_TEXT = 1024 * 1024;
/** Columns are snake_case, so their names are camelCase words: nothing else is a field. */
const FIELD_NAME = /^[a-z][A-Za-z0-9]{0,63}$/;
const KNOWN = new Set(['kind', 'target', 'status', 'ok', 'durationMs', 'error', 'at', 'responseHeaders', 'responseBody']);

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const textOrNull = (v: unknown): v is string | null => v === null || isText(v);

function checkHeaders(v: unknown): v is [string, string][] {
  return Array.isArray(v) && v.length <= 1000 && v.every((h) => Array.isArray(h) && h.length === 2 && isText(h[0], 8192) && isText(h[1], 65536));
}

function checkOne(a: unknown, n: number): ExportedAttempt | string {
  const at = `attempts[${n}]`;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return `${at} is not an object`;
  const o = a as Record<string, unknown>;
  if (!KINDS.includes(o.kind as Attempt['kind'])) return `${at}.kind must be one of ${KINDS.join(', ')}`;
  if (!isText(o.target, 8192) || o.target === '') return `${at}.target must be a URL`;
  if (o.status !== null && !(Number.isInteger(o.status) && (o.status as number) >= 100 && (o.status as number) <= 599)) return `${at}.status must be an HTTP status or null`;
  if (typeof o.ok !== 'boolean') return `${at}.ok must be true or false`;
  if (typeof o.durationMs !== 'number' || !Number.isFinite(o.durationMs) || o.durationMs < 0) return `${at}.durationMs must be a number of ms`;
  if (!textOrNull(o.error)) return `${at}.error must be text or null`;
  const time = isText(o.at, 64) ? Date.parse(o.at) : NaN;
  if (Number.isNaN(time) || time < 0 || time > Date.now() + 86_400_000) return `${at}.at must be an ISO time no later than tomorrow`;
  if (!checkHeaders(o.responseHeaders)) return `${at}.responseHeaders must be a list of [name, value] pairs`;
  if (!textOrNull(o.responseBody)) return `${at}.responseBody must be text or null`;
  for (const [key, value] of Object.entries(o)) {
    if (KNOWN.has(key)) continue;
    if (!FIELD_NAME.test(key)) return `${at} has a field ${JSON.stringify(key.slice(0, 40))} that no attempt column can have`;
    const plain = value === null || isText(value) || (typeof value === 'number' && Number.isFinite(value));
    if (!plain) return `${at}.${key} must be text, a number or null`;
  }
  // A target that carried user:password anywhere before is stored without it.
  return { ...o, target: redactUrl(o.target), at: new Date(time).toISOString() } as ExportedAttempt;
}

/** `attempts` of a line (absent: none) -> checked attempts, or what is wrong with them. */
export function parseExportedAttempts(v: unknown): ExportedAttempt[] | string {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return 'attempts must be a list';
  if (v.length > MAX_ATTEMPTS) return `attempts: more than ${MAX_ATTEMPTS} in one delivery`;
  const out: ExportedAttempt[] = [];
  for (const [i, a] of v.entries()) {
    const checked = checkOne(a, i);
    if (typeof checked === 'string') return checked;
    out.push(checked);
  }
  return out;
}
