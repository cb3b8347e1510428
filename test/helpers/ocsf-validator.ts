// An OCSF event validator driven by the committed schema extract (scripts/extract-ocsf.ts):
// required attributes (recursively, profiles honoured), unknown attributes, scalar types with
// their regex/range, enum ids, constraints, and type_uid = class_uid * 100 + activity_id.
import { readFileSync } from 'node:fs';

interface Attribute { type: string; requirement: string; array?: true; enum?: (number | string)[]; profile?: string }
interface Compiled { attributes: Record<string, Attribute>; constraints?: { at_least_one?: string[]; just_one?: string[] } }
interface ScalarType { base: string; regex?: string; range?: [number, number]; max_len?: number }
export interface OcsfSchema {
  version: string;
  license: string;
  class: Compiled & { name: string; uid: number; category_uid: number };
  objects: Record<string, Compiled>;
  types: Record<string, ScalarType>;
}

export function loadOcsfSchema(): OcsfSchema {
  return JSON.parse(readFileSync(new URL('../fixtures/ocsf-1.8.0-data-security-finding.json', import.meta.url), 'utf8')) as OcsfSchema;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every problem found, each naming its attribute path; an empty list means valid. */
export function validateOcsf(event: unknown, schema: OcsfSchema): string[] {
  const errors: string[] = [];
  if (!isObject(event)) return ['the event is not an object'];
  const declared = isObject(event.metadata) && Array.isArray(event.metadata.profiles) ? event.metadata.profiles : [];
  const profiles = new Set(declared.filter((p): p is string => typeof p === 'string'));
  const regexes = new Map<string, RegExp>();

  function checkScalar(value: unknown, typeName: string, path: string): void {
    const type = schema.types[typeName];
    if (!type) return void errors.push(`${path}: unknown type ${typeName}`);
    const base = schema.types[type.base] && type.base !== typeName ? schema.types[type.base]!.base : type.base;
    const ok = base === 'string_t' ? typeof value === 'string'
      : base === 'integer_t' ? Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
      : base === 'long_t' ? Number.isSafeInteger(value)
      : base === 'float_t' ? typeof value === 'number' && Number.isFinite(value)
      : base === 'boolean_t' ? typeof value === 'boolean'
      : base === 'json_t';
    if (!ok) return void errors.push(`${path}: ${JSON.stringify(value)?.slice(0, 60)} is not a ${typeName}`);
    if (type.regex && typeof value === 'string') {
      let rx = regexes.get(type.regex);
      if (!rx) regexes.set(type.regex, (rx = new RegExp(type.regex)));
      if (!rx.test(value)) errors.push(`${path}: "${value.slice(0, 60)}" does not match ${typeName}`);
    }
    if (type.range && typeof value === 'number' && (value < type.range[0] || value > type.range[1])) errors.push(`${path}: ${value} is outside ${typeName}`);
    if (type.max_len && typeof value === 'string' && value.length > type.max_len) errors.push(`${path}: longer than ${type.max_len}`);
  }

  function checkValue(value: unknown, attribute: Attribute, path: string): void {
    if (attribute.array) {
      if (!Array.isArray(value)) return void errors.push(`${path}: should be an array of ${attribute.type}`);
      value.forEach((item, i) => checkOne(item, attribute, `${path}[${i}]`));
    } else checkOne(value, attribute, path);
  }

  function checkOne(value: unknown, attribute: Attribute, path: string): void {
    if (attribute.type === 'object') {
      if (!isObject(value)) errors.push(`${path}: should be an object`);
    } else if (schema.objects[attribute.type]) {
      if (!isObject(value)) errors.push(`${path}: should be a ${attribute.type} object`);
      else checkObject(value, schema.objects[attribute.type]!, path);
    } else checkScalar(value, attribute.type, path);
    if (attribute.enum && !attribute.enum.includes(value as number | string)) errors.push(`${path}: ${JSON.stringify(value)} is not one of its enum ids`);
  }

  function checkObject(value: Record<string, unknown>, compiled: Compiled, path: string): void {
    const at = (name: string) => (path === '' ? name : `${path}.${name}`);
    for (const [name, item] of Object.entries(value)) {
      const attribute = compiled.attributes[name];
      if (!attribute) {
        errors.push(`${at(name)}: not an attribute here`);
        continue;
      }
      if (attribute.profile && !profiles.has(attribute.profile)) errors.push(`${at(name)}: belongs to profile ${attribute.profile}, not in metadata.profiles`);
      if (item === null || item === undefined) errors.push(`${at(name)}: null`);
      else checkValue(item, attribute, at(name));
    }
    for (const [name, attribute] of Object.entries(compiled.attributes)) {
      const applies = !attribute.profile || profiles.has(attribute.profile);
      if (attribute.requirement === 'required' && applies && (value[name] === undefined || value[name] === null)) errors.push(`${at(name)}: required attribute missing`);
    }
    const present = (names: string[]) => names.filter((n) => value[n] !== undefined && value[n] !== null).length;
    const { at_least_one: atLeastOne, just_one: justOne } = compiled.constraints ?? {};
    if (atLeastOne && present(atLeastOne) === 0) errors.push(`${path || '(event)'}: needs at least one of ${atLeastOne.join(', ')}`);
    if (justOne && present(justOne) !== 1) errors.push(`${path || '(event)'}: needs exactly one of ${justOne.join(', ')}`);
  }

  checkObject(event, schema.class, '');
  if (typeof event.class_uid === 'number' && typeof event.activity_id === 'number' && event.type_uid !== event.class_uid * 100 + event.activity_id) {
    errors.push(`type_uid: ${String(event.type_uid)} is not class_uid * 100 + activity_id`);
  }
  return errors;
}
