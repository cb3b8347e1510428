// Soveren event -> one ArcSight CEF:0 line. Escaping and keys follow the "Implementing
// ArcSight CEF" guide (rev. 25): header `\|` `\\`, extension `\=` `\\` `\n` `\r`; cs1..cs6 carry
// labels; what has no key goes as JSON in flexString1 ("unmapped").
import { isIP } from 'node:net';
import { createFieldRecorder, type FieldRecorder } from './fields.ts';
import type { MapInput, Mapped } from './shared.ts';

const SEVERITY = { High: 8, Medium: 5, Low: 3 } as const;
export const CEF_HEADER = 'CEF:0|Soveren|Soveren|1.0';

/** Header fields: backslash and pipe escaped, and no raw line breaks (they end a syslog line). */
export function escapeCefHeader(value: string): string {
  return value.replace(/[\\|]/g, '\\$&').replace(/\r\n|\r|\n/g, ' ');
}

const EXTENSION_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '=': '\\=', '\n': '\\n', '\r': '\\r' };
/** Extension values: backslash, equals sign and line breaks escaped. */
export function escapeCefValue(value: string): string {
  return value.replace(/[\\=\n\r]/g, (ch) => EXTENSION_ESCAPES[ch]!);
}

// Custom string keys and their labels (what a SIEM shows as the column name).
const CUSTOM: readonly { key: string; label: string; paths: readonly (readonly string[])[] }[] = [
  { key: 'cs1', label: 'Data types', paths: [['data_types']] },
  { key: 'cs2', label: 'Policy name', paths: [['policy', 'name']] },
  { key: 'cs3', label: 'Sending asset', paths: [['sending', 'name']] },
  { key: 'cs4', label: 'Receiving asset', paths: [['receiving', 'name']] },
  { key: 'cs5', label: 'Endpoint URL', paths: [['endpoint', 'url']] },
  { key: 'cs6', label: 'Resource', paths: [['s3_bucket'], ['entity_name'], ['database_name']] },
];

export function mapCef({ event, facts }: MapInput): Mapped {
  const rec = createFieldRecorder(event);
  const pairs: [string, string][] = [];
  const put = (key: string, value: string) => pairs.push([key, value]);

  const eventType = rec.text(['event_type']);
  const title = rec.text(['title']);
  const sensitivity = rec.text(['sensitivity']);
  const severity = facts.sensitivity ? SEVERITY[facts.sensitivity] : 0;
  if (eventType !== undefined) rec.carry(['event_type'], 'deviceEventClassId', eventType);
  if (title !== undefined) rec.derive(['title'], 'name', title);
  if (sensitivity !== undefined && sensitivity === facts.sensitivity) rec.carry(['sensitivity'], 'severity', severity);
  else rec.derive(['sensitivity'], 'severity', severity);
  const header = [CEF_HEADER, escapeCefHeader(eventType ?? 'unknown'), escapeCefHeader(title ?? eventType ?? 'Soveren event'), String(severity)].join('|');

  const time = rec.text(['time']);
  if (time !== undefined && facts.timeFrom === 'time' && new Date(facts.timeMs).toISOString() === time) rec.carry(['time'], 'rt', facts.timeMs);
  else rec.derive(facts.timeFrom, 'rt', facts.timeMs);
  put('rt', String(facts.timeMs));
  carryText(rec, ['title'], 'msg', put);
  carryText(rec, ['event_link'], 'request', put);
  carryText(rec, ['category'], 'cat', put);
  put('externalId', facts.eventId);
  rec.derive(facts.eventIdFrom === 'event_link' ? ['event_link'] : '(body SHA-256)', 'externalId', facts.eventId);
  carryText(rec, ['endpoint', 'hostname'], 'dhost', put);
  carryText(rec, ['endpoint', 'method'], 'requestMethod', put);
  const ip = rec.text(['third_party_ip']);
  if (ip !== undefined && isIP(ip) === 4) carryText(rec, ['third_party_ip'], 'dst', put);
  else if (ip !== undefined && isIP(ip) === 6) {
    put('c6a3Label', 'Destination IPv6 Address');
    carryText(rec, ['third_party_ip'], 'c6a3', put);
  }
  carryText(rec, ['user_agent'], 'requestClientApplication', put);

  for (const { key, label, paths } of CUSTOM) {
    for (const path of paths) {
      const value = rec.read(path);
      const list = Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
      if (typeof value !== 'string' && !list) continue;
      put(`${key}Label`, label);
      const text = list ? list.join(', ') : (value as string);
      put(key, text);
      // A list joined with ", " reads back as the same list only if no item holds a comma.
      if (list && list.some((v) => v.includes(','))) rec.derive(path, key, text);
      else rec.carry(path, key, text);
      break;
    }
  }

  const leftovers = rec.leftovers();
  if (leftovers.length > 0) {
    const json = JSON.stringify(Object.fromEntries(leftovers.map((l) => [l.source, l.value])));
    put('flexString1Label', 'unmapped');
    put('flexString1', json);
  }
  const extension = pairs.map(([k, v]) => `${k}=${escapeCefValue(v)}`).join(' ');
  return { output: `${header}|${extension}`, fields: rec.fields, leftovers, unmappedTarget: 'flexString1' };
}

function carryText(rec: FieldRecorder, path: readonly string[], key: string, put: (key: string, value: string) => void): void {
  const value = rec.text(path);
  if (value === undefined) return;
  rec.carry(path, key, value);
  put(key, value);
}
