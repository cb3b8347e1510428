// Bookkeeping shared by the mappings: which source field went to which target (the API's
// `fields`), and what was left over (each format's place for unmapped data). A source field is
// "consumed" only when its value is carried verbatim, so nothing the event held is ever lost.
import type { FieldMapping } from './types.ts';
import { isPlainObject, type EventObject } from './source.ts';

export type SourcePath = readonly string[];

export interface Leftover {
  path: SourcePath;
  source: string;
  value: unknown;
}

export interface FieldRecorder {
  /** The value at `path` (own properties only), or undefined. */
  read(path: SourcePath): unknown;
  /** The value at `path` when it is a string. */
  text(path: SourcePath): string | undefined;
  /** Record `source -> target`; the source is consumed (its value is carried as it was). */
  carry(path: SourcePath, target: string, value: unknown): void;
  /** Record a value computed from `path`; the source stays for the unmapped place. */
  derive(path: SourcePath | string, target: string, value: unknown): void;
  /** Mark `path` as carried elsewhere without a row of its own (e.g. an empty array). */
  consume(path: SourcePath): void;
  readonly fields: FieldMapping[];
  /** Every source field not consumed: arrays and untouched objects whole, in event order. */
  leftovers(): Leftover[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `sending.groups`, or `["odd key"]` for keys that are not identifiers. */
export function formatPath(path: SourcePath): string {
  let out = '';
  for (const key of path) {
    if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

export function createFieldRecorder(event: EventObject): FieldRecorder {
  const consumed = new Set<string>();
  const touched = new Set<string>(); // ancestors of consumed paths
  const fields: FieldMapping[] = [];
  const keyOf = (path: SourcePath) => path.join('\u0000');

  const read = (path: SourcePath): unknown => {
    let value: unknown = event;
    for (const key of path) {
      if (!isPlainObject(value) || !Object.hasOwn(value, key)) return undefined;
      value = value[key];
    }
    return value;
  };
  const consume = (path: SourcePath) => {
    consumed.add(keyOf(path));
    for (let i = 1; i < path.length; i++) touched.add(keyOf(path.slice(0, i)));
  };

  function collect(object: EventObject, prefix: string[], out: Leftover[]): void {
    for (const key of Object.keys(object)) {
      const path = [...prefix, key];
      const k = keyOf(path);
      if (consumed.has(k)) continue;
      const value = object[key];
      if (touched.has(k) && isPlainObject(value)) collect(value, path, out);
      else out.push({ path, source: formatPath(path), value });
    }
  }

  return {
    read,
    text: (path) => {
      const value = read(path);
      return typeof value === 'string' ? value : undefined;
    },
    carry(path, target, value) {
      consume(path);
      fields.push({ source: formatPath(path), target, value });
    },
    derive(path, target, value) {
      fields.push({ source: typeof path === 'string' ? path : formatPath(path), target, value });
    },
    consume,
    fields,
    leftovers() {
      const out: Leftover[] = [];
      collect(event, [], out);
      return out;
    },
  };
}

/** Leftovers as one nested object (null prototype: keys come from the captured event). */
export function nestLeftovers(leftovers: readonly Leftover[], into: EventObject = Object.create(null) as EventObject): EventObject {
  for (const { path, value } of leftovers) {
    let node = into;
    for (const key of path.slice(0, -1)) {
      const next = Object.hasOwn(node, key) ? node[key] : undefined;
      if (isPlainObject(next)) node = next;
      else {
        const created = Object.create(null) as EventObject;
        node[key] = created;
        node = created;
      }
    }
    node[path[path.length - 1]!] = value;
  }
  return into;
}
