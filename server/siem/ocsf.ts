// Soveren event -> OCSF 1.8.0 Data Security Finding (class 2006). Field rules: issue #13 and
// the schema (https://schema.ocsf.io/1.8.0/classes/data_security_finding). Leftovers go to
// `unmapped`, which the schema keeps for source data it has no attribute for.
import { isIP } from 'node:net';
import { createFieldRecorder, nestLeftovers, type FieldRecorder } from './fields.ts';
import { DSPM, SEVERITY_ID, type MapInput, type Mapped } from './shared.ts';
import { isPlainObject, type EventFacts } from './source.ts';

export const OCSF_VERSION = '1.8.0';
const LIFECYCLE_NAME = ['Unknown', 'Data at-Rest', 'Data in-Transit'] as const;
// OCSF database.type_id: 1 Relational, 6 NoSQL, 99 Other (0 Unknown when no type is given).
const DATABASE_TYPE_ID: Readonly<Record<string, 1 | 6>> = {
  postgresql: 1, postgres: 1, mysql: 1, mariadb: 1, oracle: 1, mssql: 1, 'sql server': 1, aurora: 1, sqlite: 1,
  mongodb: 6, dynamodb: 6, cassandra: 6, redis: 6, elasticsearch: 6, couchdb: 6,
};
const DATABASE_TYPE_NAME = { 0: 'Unknown', 1: 'Relational', 6: 'NoSQL', 99: 'Other' } as const;

export function mapOcsf({ event, facts }: MapInput): Mapped {
  const rec = createFieldRecorder(event);
  const fixed = (target: string, value: unknown) => rec.derive('(fixed)', target, value);
  const out: Record<string, unknown> = {
    activity_id: 1, activity_name: 'Create', category_uid: 2, category_name: 'Findings',
    class_uid: 2006, class_name: 'Data Security Finding', type_uid: 200601, type_name: 'Data Security Finding: Create',
  };
  for (const [key, value] of Object.entries(out)) fixed(key, value);

  const sensitivity = rec.text(['sensitivity']);
  out.severity_id = facts.sensitivity ? SEVERITY_ID[facts.sensitivity] : 0;
  rec.derive(['sensitivity'], 'severity_id', out.severity_id);
  if (sensitivity !== undefined) rec.carry(['sensitivity'], 'severity', (out.severity = sensitivity));

  out.time = facts.timeMs;
  rec.derive(facts.timeFrom, 'time', facts.timeMs);
  const title = rec.text(['title']);
  if (title !== undefined) rec.derive(['title'], 'message', (out.message = title));
  if (facts.facet === 'data_at_risk' || facts.facet === 'misconfiguration') rec.derive(['category'], 'is_alert', (out.is_alert = true));

  const metadata: Record<string, unknown> = { product: { name: 'Soveren', vendor_name: 'Soveren' }, version: OCSF_VERSION };
  fixed('metadata.product', metadata.product);
  fixed('metadata.version', OCSF_VERSION);
  const time = rec.text(['time']);
  if (time !== undefined) rec.carry(['time'], 'metadata.original_time', (metadata.original_time = time));
  out.metadata = metadata;

  out.finding_info = mapFindingInfo(rec, facts, title);
  out.data_security = mapDataSecurity(rec, facts);
  mapStores(rec, facts, out);
  const resources = mapResources(rec);
  if (resources.length > 0) out.resources = resources;
  const endpoint = mapEndpoint(rec);
  if (endpoint) out.dst_endpoint = endpoint;

  const leftovers = rec.leftovers();
  if (leftovers.length > 0) out.unmapped = nestLeftovers(leftovers);
  return { output: out, fields: rec.fields, leftovers, unmappedTarget: 'unmapped' };
}

function mapFindingInfo(rec: FieldRecorder, facts: EventFacts, title: string | undefined): Record<string, unknown> {
  const info: Record<string, unknown> = { uid: facts.eventId };
  rec.derive(facts.eventIdFrom === 'event_link' ? ['event_link'] : '(body SHA-256)', 'finding_info.uid', facts.eventId);
  if (title !== undefined) rec.carry(['title'], 'finding_info.title', (info.title = title));
  const types = [facts.facet, facts.eventType].filter((t): t is string => t !== undefined && t !== '');
  if (types.length > 0) info.types = types;
  if (facts.facet !== undefined) rec.derive(['category'], 'finding_info.types[0]', facts.facet);
  if (facts.eventType !== undefined) rec.carry(['event_type'], `finding_info.types[${types.length - 1}]`, facts.eventType);
  const link = rec.text(['event_link']);
  if (link !== undefined) rec.carry(['event_link'], 'finding_info.src_url', (info.src_url = link));
  const desc = rec.text(['description']);
  if (desc !== undefined) rec.carry(['description'], 'finding_info.desc', (info.desc = desc));
  const dataTypes = stringArray(rec.read(['data_types']));
  if (dataTypes?.length === 0) rec.consume(['data_types']);
  else if (dataTypes) {
    info.tags = [{ name: 'data_types', values: dataTypes }];
    rec.carry(['data_types'], 'finding_info.tags[0].values', dataTypes);
  }
  return info;
}

function mapDataSecurity(rec: FieldRecorder, facts: EventFacts): Record<string, unknown> {
  const ds: Record<string, unknown> = {
    detection_system_id: DSPM.id, detection_system: DSPM.name,
    data_lifecycle_state_id: facts.lifecycle, data_lifecycle_state: LIFECYCLE_NAME[facts.lifecycle],
  };
  rec.derive('(fixed)', 'data_security.detection_system_id', DSPM.id);
  rec.derive(['event_type'], 'data_security.data_lifecycle_state_id', facts.lifecycle);
  const name = rec.text(['policy', 'name']);
  const link = rec.text(['policy', 'link']);
  if (name !== undefined || link !== undefined) {
    const policy: Record<string, unknown> = {};
    if (name !== undefined) rec.carry(['policy', 'name'], 'data_security.policy.name', (policy.name = name));
    if (link !== undefined) rec.carry(['policy', 'link'], 'data_security.policy.uid', (policy.uid = link));
    ds.policy = policy;
  }
  return ds;
}

/** S3 and RDS types: `databucket` / `database` / `table` / `file` of the class. */
function mapStores(rec: FieldRecorder, facts: EventFacts, out: Record<string, unknown>): void {
  const objectType = rec.text(['object_type']);
  const entity = rec.text(['entity_name']);
  const bucket = rec.text(['s3_bucket']);
  if (bucket !== undefined) {
    const b: Record<string, unknown> = { name: bucket, type_id: 1, type: 'S3' };
    rec.carry(['s3_bucket'], 'databucket.name', bucket);
    rec.derive(['s3_bucket'], 'databucket.type_id', 1);
    if (facts.eventType === 'policy_public_s3_bucket') rec.derive(['event_type'], 'databucket.is_public', (b.is_public = true));
    if (facts.eventType === 'policy_unencrypted_s3_bucket') rec.derive(['event_type'], 'databucket.is_encrypted', (b.is_encrypted = false));
    if (objectType === 'bucket' && entity !== undefined) {
      rec.carry(['entity_name'], 'databucket.uid', (b.uid = entity));
    } else if (objectType === 'object' && entity !== undefined) {
      const file = { name: entity.slice(entity.lastIndexOf('/') + 1) || entity, path: entity, type_id: 1, type: 'Regular File' };
      rec.carry(['entity_name'], 'file.path', entity);
      out.file = file;
    }
    out.databucket = b;
  }
  const dbName = rec.text(['database_name']);
  const rds = objectType === 'rds_instance' && entity !== undefined;
  if (dbName !== undefined || rds) {
    const dbType = rec.text(['database_type']);
    const typeId = dbType === undefined ? 0 : (DATABASE_TYPE_ID[dbType.trim().toLowerCase()] ?? 99);
    const db: Record<string, unknown> = {};
    if (dbName !== undefined) rec.carry(['database_name'], 'database.name', (db.name = dbName));
    if (rds) {
      rec.carry(['entity_name'], 'database.uid', (db.uid = entity));
    }
    db.type_id = typeId;
    db.type = dbType ?? DATABASE_TYPE_NAME[typeId];
    if (dbType !== undefined) rec.carry(['database_type'], 'database.type', dbType);
    rec.derive(['database_type'], 'database.type_id', typeId);
    out.database = db;
  }
  const table = rec.text(['table']);
  if (table !== undefined) {
    rec.carry(['table'], 'table.name', table);
    out.table = { name: table };
  }
}

/** Sending and receiving services (Actor, Target) and conflicting assets (Related). */
function mapResources(rec: FieldRecorder): Record<string, unknown>[] {
  const resources: Record<string, unknown>[] = [];
  for (const [side, roleId, role] of [['sending', 2, 'Actor'], ['receiving', 1, 'Target']] as const) {
    if (!isPlainObject(rec.read([side]))) continue;
    const at = `resources[${resources.length}]`;
    const r: Record<string, unknown> = {};
    const name = rec.text([side, 'name']);
    const link = rec.text([side, 'link']);
    if (name === undefined && link === undefined) continue;
    if (name !== undefined) rec.carry([side, 'name'], `${at}.name`, (r.name = name));
    if (link !== undefined) rec.carry([side, 'link'], `${at}.uid`, (r.uid = link));
    const namespace = rec.text([side, 'namespace']);
    if (namespace !== undefined) rec.carry([side, 'namespace'], `${at}.namespace`, (r.namespace = namespace));
    const groups = rec.read([side, 'groups']);
    if (Array.isArray(groups) && groups.length === 0) rec.consume([side, 'groups']);
    const group = Array.isArray(groups) && groups.length === 1 ? nameUid(groups[0]) : undefined;
    if (group) rec.carry([side, 'groups'], `${at}.group`, (r.group = group));
    r.role_id = roleId;
    r.role = role;
    rec.derive([side], `${at}.role_id`, roleId);
    resources.push(r);
  }
  const assets = rec.read(['conflicting_assets']);
  const related = Array.isArray(assets) ? assets.map(nameUid) : [];
  if (related.length > 0 && related.every((a) => a !== undefined)) {
    const mapped = related.map((a) => Object.assign(a!, { role_id: 4, role: 'Related' }));
    rec.carry(['conflicting_assets'], `resources[${resources.length}..${resources.length + mapped.length - 1}]`, mapped);
    resources.push(...mapped);
  }
  return resources;
}

/** The endpoint's host and the third party's IP. */
function mapEndpoint(rec: FieldRecorder): Record<string, unknown> | undefined {
  const e: Record<string, unknown> = {};
  const hostname = rec.text(['endpoint', 'hostname']);
  if (hostname !== undefined && hostname !== '') rec.carry(['endpoint', 'hostname'], 'dst_endpoint.hostname', (e.hostname = hostname));
  const ip = rec.text(['third_party_ip']);
  if (ip !== undefined && isIP(ip) !== 0) rec.carry(['third_party_ip'], 'dst_endpoint.ip', (e.ip = ip));
  return Object.keys(e).length > 0 ? e : undefined;
}

/**
 * `{name, link}` with string values and nothing else, as a resource's `{name, uid}` (a new
 * object), or undefined (then it stays unmapped). Runs for every conflicting asset: no spreads.
 */
function nameUid(value: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  let name: string | undefined;
  let link: string | undefined;
  let keys = 0;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v !== 'string') return undefined;
    if (key === 'name') name = v;
    else if (key === 'link') link = v;
    else return undefined;
    keys++;
  }
  if (keys === 0) return undefined;
  const out: Record<string, unknown> = {};
  if (name !== undefined) out.name = name;
  if (link !== undefined) out.uid = link;
  return out;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}
