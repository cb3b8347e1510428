// Turns a Soveren event object into labelled summary rows for the detail pane. Values are
// attacker-controlled: everything becomes plain text, and only http(s) values become links.
import { categoryLabel, toCategoryFacet } from './categories.ts';
import { safeHref } from './format.ts';

export interface SummaryPart {
  text: string;
  href: string | null;
  /** Secondary text (namespace, hostname...). */
  muted?: boolean;
}

export interface SummaryRow {
  label: string;
  parts: SummaryPart[];
}

const KNOWN = new Set([
  'title', 'sensitivity', 'time', 'event_link', 'category', 'event_type', 'data_types',
  'event_triggered_by', 'sending', 'receiving', 'endpoint', 'policy', 'conflicting_assets',
  'third_party_ip', 'user_agent', 'release_notes_link', 'evidence_link', 'object_type',
  'entity_name', 's3_bucket', 'database_type', 'database_name', 'table', 'collection',
  'topic', 'scheme',
]);

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  const json = JSON.stringify(v);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

function text(v: unknown, muted = false): SummaryPart {
  return { text: asText(v), href: null, muted };
}

/** A name shown as a link when `link` is a safe URL. */
function named(name: unknown, link: unknown): SummaryPart {
  const shown = asText(name) || asText(link);
  return { text: shown, href: safeHref(link) };
}

function linkOnly(link: unknown): SummaryPart {
  return { text: asText(link), href: safeHref(link) };
}

function service(v: unknown): SummaryPart[] {
  if (!isObject(v)) return [text(v)];
  const parts = [named(v.name, v.link)];
  if (v.namespace !== undefined && v.namespace !== '') parts.push(text(`ns ${asText(v.namespace)}`, true));
  if (Array.isArray(v.groups)) {
    for (const g of v.groups.slice(0, 20)) parts.push(isObject(g) ? { ...named(g.name, g.link), muted: true } : text(g, true));
  }
  return parts;
}

/** Parse the body as an event object; null when it is not a JSON object. */
export function parseEventObject(bodyText: string | null): Obj | null {
  if (bodyText === null) return null;
  try {
    const value: unknown = JSON.parse(bodyText);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function summarizeEvent(event: Obj): { rows: SummaryRow[]; extraFields: string[] } {
  const rows: SummaryRow[] = [];
  const add = (label: string, parts: SummaryPart[]) => {
    const kept = parts.filter((p) => p.text !== '');
    if (kept.length) rows.push({ label, parts: kept });
  };
  const has = (key: string) => event[key] !== undefined && event[key] !== null;

  if (has('category')) {
    const raw = asText(event.category);
    const label = categoryLabel(toCategoryFacet(raw));
    add('Category', label === raw ? [text(raw)] : [text(label), text(`sent as “${raw}”`, true)]);
  }
  if (has('event_type')) add('Event type', [text(event.event_type)]);
  if (has('sensitivity')) add('Sensitivity', [text(event.sensitivity)]);
  if (has('time')) add('Event time', [text(event.time)]);
  if (has('event_triggered_by')) add('Triggered by', [text(event.event_triggered_by)]);
  if (has('data_types')) {
    add('Data types', Array.isArray(event.data_types) ? event.data_types.slice(0, 50).map((d) => text(d)) : [text(event.data_types)]);
  }
  if (has('sending')) add('Sending', service(event.sending));
  if (has('receiving')) add('Receiving', service(event.receiving));
  if (has('endpoint')) {
    const e = event.endpoint;
    add(
      'Endpoint',
      isObject(e)
        ? [text(e.method), named(e.url ?? e.hostname, e.link ?? e.url), ...(e.hostname !== undefined && e.url !== undefined ? [text(e.hostname, true)] : [])]
        : [text(e)],
    );
  }
  if (has('policy')) add('Policy', isObject(event.policy) ? [named(event.policy.name, event.policy.link)] : [text(event.policy)]);
  if (has('conflicting_assets')) {
    const list = Array.isArray(event.conflicting_assets) ? event.conflicting_assets.slice(0, 50) : [event.conflicting_assets];
    add('Conflicting assets', list.map((a) => (isObject(a) ? named(a.name, a.link) : text(a))));
  }
  for (const [key, label] of [
    ['object_type', 'Object type'], ['entity_name', 'Entity'], ['s3_bucket', 'S3 bucket'],
    ['database_type', 'Database type'], ['database_name', 'Database'], ['table', 'Table'],
    ['collection', 'Collection'], ['topic', 'Topic'], ['scheme', 'Scheme'],
    ['third_party_ip', 'Third-party IP'], ['user_agent', 'Client user agent'],
  ] as const) {
    if (has(key)) add(label, [text(event[key])]);
  }
  for (const [key, label] of [
    ['event_link', 'Event in Soveren'], ['evidence_link', 'Evidence'], ['release_notes_link', 'Release notes'],
  ] as const) {
    if (has(key)) add(label, [linkOnly(event[key])]);
  }
  const extraFields = Object.keys(event).filter((k) => !KNOWN.has(k));
  return { rows, extraFields };
}
