// An output side by side with the reference mapping of its delivery (server/siem mapDelivery):
// both flattened to leaf paths, each reference field marked same, differs or missing in the
// output, and what only the output has listed as extra. CEF is compared field by field
// (header names and extension keys), not as one line.
import type { OutputComparison, SinkKind } from '../common/protocol.ts';
import type { SiemFormat } from '../siem/index.ts';
import { parseCef } from './cef.ts';

export type CompareRow = OutputComparison['rows'][number];

/** The reference format an output is compared with, by the sink that took it. */
export function formatForSink(sink: SinkKind, fields: unknown): SiemFormat {
  if (sink === 'hec') return 'hec';
  if (sink === 'elastic') return 'ecs';
  if (sink === 'syslog') return 'cef';
  const f = fields as Record<string, unknown> | null;
  return f && typeof f === 'object' && 'class_uid' in f ? 'ocsf' : 'ecs';
}

const MAX_LEAVES = 2000;

/** Leaf paths (a.b[0].c) -> value as text; arrays of scalars stay one leaf. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (out.size >= MAX_LEAVES) return out;
  if (value !== null && typeof value === 'object') {
    const scalarArray = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
    if (!scalarArray) {
      for (const key of Object.keys(value)) {
        const path = Array.isArray(value) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
        flatten((value as Record<string, unknown>)[key], path, out);
      }
      return out;
    }
  }
  out.set(prefix || '(value)', typeof value === 'string' ? value : JSON.stringify(value));
  return out;
}

/** CEF line or parsed syslog fields -> the CEF fields by name. */
function cefFields(value: unknown): Record<string, string> | null {
  const cef = typeof value === 'string' ? parseCef(value) : (value as { cef?: ReturnType<typeof parseCef> } | null)?.cef ?? null;
  if (!cef) return null;
  return {
    deviceVendor: cef.deviceVendor, deviceProduct: cef.deviceProduct, deviceVersion: cef.deviceVersion,
    deviceEventClassId: cef.deviceEventClassId, name: cef.name, severity: cef.severity, ...cef.extension,
  };
}

/** Compare what the connector wrote with what the reference mapping writes. */
export function compareOutput(format: SiemFormat, reference: unknown, actual: unknown): CompareRow[] {
  const expectedLeaves = flatten(format === 'cef' ? cefFields(reference) ?? reference : reference);
  const actualLeaves = flatten(format === 'cef' ? cefFields(actual) ?? actual : actual);
  const rows: CompareRow[] = [];
  for (const [field, expected] of expectedLeaves) {
    const got = actualLeaves.get(field);
    rows.push({ field, expected, actual: got ?? null, state: got === undefined ? 'missing' : got === expected ? 'same' : 'differs' });
  }
  for (const [field, got] of actualLeaves) {
    if (!expectedLeaves.has(field)) rows.push({ field, expected: null, actual: got, state: 'extra' });
  }
  return rows;
}
