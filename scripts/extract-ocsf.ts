// Extracts from the OCSF schema's source files what test/ocsf-validator.ts needs to check a
// Data Security Finding (class 2006): attribute names, requirement levels, types, arrays, enum
// ids, constraints and scalar types, with `extends`, profile includes and the dictionary
// resolved, for every object reachable from the class. No descriptions.
// Usage: npx tsx scripts/extract-ocsf.ts /path/to/ocsf-schema-1.8.0 [test/fixtures/ocsf-1.8.0-data-security-finding.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, any>;
interface Attribute { type: string; requirement: string; array?: true; enum?: (number | string)[]; profile?: string }
interface Compiled { attributes: Record<string, Attribute>; constraints?: Json }

const [schemaDir, outFile = 'test/fixtures/ocsf-1.8.0-data-security-finding.json'] = process.argv.slice(2);
if (!schemaDir) {
  process.stderr.write('usage: tsx scripts/extract-ocsf.ts SCHEMA_DIR [OUT_FILE]\n');
  process.exit(2);
}
const read = (path: string): Json => JSON.parse(readFileSync(join(schemaDir, path), 'utf8'));
const version: string = read('version.json').version;
const dictionary = read('dictionary.json');
const categories = read('categories.json').attributes as Json;

/** Later definitions win, maps merge key by key (so enums accumulate along `extends`). */
function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])
      ? deepMerge(out[k], v) : v;
  }
  return out;
}

/** A class or object file with its profile includes merged under its own attributes. */
function withIncludes(file: Json): Json {
  let attributes: Json = {};
  for (const include of file.attributes?.$include ?? []) {
    const profile = read(include);
    for (const [name, def] of Object.entries(profile.attributes as Json)) attributes[name] = { ...def, profile: profile.name };
  }
  const own = { ...file.attributes };
  delete own.$include;
  attributes = deepMerge(attributes, own);
  return { ...file, attributes };
}

/** Resolve `extends` (parents first), then each attribute over its dictionary entry. */
function compile(file: Json, load: (name: string) => Json): Compiled {
  const chain: Json[] = [];
  for (let f: Json | undefined = file; f; f = f.extends && f.extends !== 'object' ? load(f.extends) : undefined) chain.unshift(withIncludes(f));
  let merged: Json = { attributes: {} };
  for (const f of chain) merged = deepMerge(merged, { attributes: f.attributes, ...(f.constraints && { constraints: f.constraints }) });
  const attributes: Record<string, Attribute> = {};
  for (const [name, def] of Object.entries(merged.attributes as Json).sort(([a], [b]) => a.localeCompare(b))) {
    const entry = dictionary.attributes[name];
    if (!entry) throw new Error(`${file.name}.${name} is not in the dictionary`);
    const full = deepMerge(entry, def);
    const attribute: Attribute = { type: full.type, requirement: full.requirement ?? 'optional' };
    if (full.is_array) attribute.array = true;
    if (full.enum) attribute.enum = Object.keys(full.enum).map((id) => (/^-?\d+$/.test(id) ? Number(id) : id)).sort(compareIds);
    if (full.profile) attribute.profile = full.profile;
    attributes[name] = attribute;
  }
  return { attributes, ...(merged.constraints && Object.keys(merged.constraints).length > 0 && { constraints: merged.constraints }) };
}

function compareIds(a: number | string, b: number | string): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

const loadEvent = (name: string) => read(name === 'base_event' ? 'events/base_event.json' : `events/findings/${name}.json`);
const loadObject = (name: string) => read(`objects/${name}.json`);

const classFile = loadEvent('data_security_finding');
const category = categories[classFile.category ?? loadEvent(classFile.extends).category];
const classUid = category.uid * 1000 + classFile.uid;
const compiledClass = compile(classFile, loadEvent);
// The schema server fixes these per class: category_uid and class_uid to the class's own ids,
// type_uid to class_uid * 100 + activity_id for each activity.
const activities = compiledClass.attributes.activity_id!.enum as number[];
compiledClass.attributes.category_uid!.enum = [category.uid];
compiledClass.attributes.class_uid!.enum = [classUid];
compiledClass.attributes.type_uid!.enum = activities.map((id) => classUid * 100 + id);

// Every object type reachable from the class, compiled once.
const types = dictionary.types.attributes as Json;
const objects: Record<string, Compiled> = {};
const pending = Object.values(compiledClass.attributes).map((a) => a.type);
while (pending.length > 0) {
  const name = pending.pop()!;
  if (name in types || name === 'object' || name in objects) continue;
  objects[name] = compile(loadObject(name), loadObject);
  pending.push(...Object.values(objects[name]!.attributes).map((a) => a.type));
}

// Scalar types: each names its base (string_t, integer_t, long_t, float_t, boolean_t, json_t) and checks.
const scalars: Json = {};
for (const [name, def] of Object.entries(types)) {
  scalars[name] = {
    base: def.type ?? name,
    ...(def.regex && { regex: def.regex }),
    ...(def.range && { range: def.range }),
    ...(def.max_len && { max_len: def.max_len }),
  };
}

const fixture = {
  source: `OCSF schema ${version} source files (https://github.com/ocsf/ocsf-schema), extracted by scripts/extract-ocsf.ts`,
  license: 'Apache-2.0',
  notice: readFileSync(join(schemaDir, 'NOTICE'), 'utf8').trim(),
  version,
  class: { name: classFile.name, uid: classUid, category_uid: category.uid, ...compiledClass },
  objects: Object.fromEntries(Object.entries(objects).sort(([a], [b]) => a.localeCompare(b))),
  types: scalars,
};
writeFileSync(outFile, JSON.stringify(fixture) + '\n');
process.stderr.write(`wrote ${outFile}: class ${classUid}, ${Object.keys(objects).length} objects, ${Object.keys(scalars).length} types\n`);
