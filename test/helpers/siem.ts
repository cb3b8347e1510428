// Test helpers for the SIEM mappings: a stored-delivery stand-in from an event or raw text,
// and a check that every field of the event went somewhere (a mapped target or the unmapped place).
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { SiemMapping, SiemSource } from '../../server/siem/index.ts';
import { formatPath } from '../../server/siem/fields.ts';

export const RECEIVED_AT = '2024-06-01T12:00:01.000Z';

export function sourceOf(event: unknown, receivedAt = RECEIVED_AT): SiemSource {
  const body = Buffer.from(typeof event === 'string' ? event : JSON.stringify(event), 'utf8');
  return { id: 1, receivedAt, body, bodySha256: createHash('sha256').update(body).digest('hex') };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Leaves of a JSON object as [path, value]; arrays and empty objects count as leaves. */
export function leavesOf(value: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  const out: [string[], unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    if (isObject(item) && Object.keys(item).length > 0) out.push(...leavesOf(item, [...prefix, key]));
    else out.push([[...prefix, key], item]);
  }
  return out;
}

/**
 * Nothing lost: each leaf of the event is in `unmapped` (itself or an enclosing object), or a
 * field row carries it (its path or an ancestor as source) with the value found verbatim.
 */
export function expectNothingLost(event: Record<string, unknown>, mapping: SiemMapping): void {
  const unmapped = new Map(mapping.unmapped.map((u) => [u.source, u.value]));
  for (const [path, value] of leavesOf(event)) {
    const names = path.map((_, i) => formatPath(path.slice(0, i + 1)));
    const kept = names.some((name) => unmapped.has(name) || mapping.fields.some((f) => f.source === name && containsValue(f.value, value)));
    // Empty arrays and objects carry no value; a mapping may drop them.
    const empty = (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
    if (!kept && !empty) expect.fail(`${formatPath(path)} = ${JSON.stringify(value)} is neither mapped nor in unmapped`);
  }
}

/** Every scalar inside `needle` is among the scalars inside `haystack` (keys may be renamed). */
function containsValue(haystack: unknown, needle: unknown): boolean {
  const found = new Set(scalarsOf(haystack).map((v) => JSON.stringify(v)));
  return scalarsOf(needle).every((v) => found.has(JSON.stringify(v)));
}

function scalarsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(scalarsOf);
  if (isObject(value)) return Object.values(value).flatMap(scalarsOf);
  return [value];
}

/** The value at a field row's target (`a.b`, `a[0].b`); undefined when absent. */
export function valueAt(output: unknown, target: string): unknown {
  let node: unknown = output;
  for (const part of target.match(/[^.[\]]+/g) ?? []) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (isObject(node) && Object.hasOwn(node, part)) node = node[part];
    else return undefined;
  }
  return node;
}
