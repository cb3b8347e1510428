// Realistic, seedable Soveren webhook test events for every documented event type (pure, no I/O).
import { categoryOfEventType, EVENT_TYPES, findCategory, KNOWN_FIELDS, type SENSITIVITIES } from '../common/catalog.ts';

export interface SoverenAsset { link: string; name: string; namespace: string; groups: { link: string; name: string }[] }

/** An event object as Soveren sends it. Every field may be absent; unknown fields are kept. */
export interface SoverenEvent {
  title?: string;
  sensitivity?: (typeof SENSITIVITIES)[number];
  time?: string;
  event_link?: string;
  category?: string;
  event_type?: string;
  data_types?: string[];
  event_triggered_by?: 'sending' | 'receiving';
  sending?: SoverenAsset;
  receiving?: SoverenAsset;
  endpoint?: { link: string; url: string; hostname: string; method: string };
  policy?: { link: string; name: string };
  conflicting_assets?: { name: string; link: string }[];
  third_party_ip?: string;
  user_agent?: string;
  release_notes_link?: string;
  evidence_link?: string;
  object_type?: string;
  entity_name?: string;
  s3_bucket?: string;
  database_type?: string;
  database_name?: string;
  table?: string;
  collection?: string;
  topic?: string;
  scheme?: string;
  [key: string]: unknown;
}

export type CategoryForm = 'display' | 'slug' | 'legacy';
export interface EventOptions { seed?: number; index?: number; categoryForm?: CategoryForm; now?: Date }
export interface EventsOptions {
  types?: string[]; category?: string; all?: boolean; count?: number;
  seed?: number; categoryForm?: CategoryForm; now?: Date;
}

const APP = 'https://app.soveren.io';
const DATA_TYPES = ['Email', 'Phone number', 'Credit card number', 'IBAN', 'Passport number', 'Full name',
  'Address', 'Date of birth', 'API key', 'JWT', 'IP address', 'Social security number', 'Driver license number'];
const SERVICES = [['checkout-api', 'payments'], ['billing-worker', 'payments'], ['auth-service', 'identity'],
  ['user-profile', 'identity'], ['orders-api', 'shop'], ['notification-sender', 'messaging'],
  ['analytics-collector', 'analytics'], ['search-indexer', 'catalog'], ['support-portal', 'support']] as const;
const EXTERNAL = [['api.stripe.com', '/v1/charges', 'POST'], ['api.segment.io', '/v1/track', 'POST'],
  ['api.sendgrid.com', '/v3/mail/send', 'POST'], ['hooks.slack.com', '/services/T0/B0/X', 'POST'],
  ['api.mixpanel.com', '/import', 'POST'], ['api.twilio.com', '/2010-04-01/Accounts/AC1/Messages.json', 'POST'],
  ['api.hubapi.com', '/crm/v3/objects/contacts', 'GET'], ['o4504.ingest.sentry.io', '/api/42/envelope/', 'POST']] as const;
const PATHS = [['/api/v1/orders', 'POST'], ['/api/v1/users/{id}', 'GET'], ['/internal/profile', 'PUT'],
  ['/api/v2/payments/{id}', 'GET'], ['/graphql', 'POST'], ['/api/v1/invoices', 'GET']] as const;
const AGENTS = ['python-requests/2.31.0', 'Go-http-client/1.1', 'axios/1.6.8', 'okhttp/4.12.0', 'Stripe/v1 NodeBindings/14.21.0'];
const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'];
const ROBOTS = ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'Mozilla/5.0 (compatible; bingbot/2.0)', 'curl/8.5.0'];
const STORES = [
  { database_type: 'PostgreSQL', name: 'orders-db', namespace: 'payments', database_name: 'orders', table: ['customers', 'orders', 'addresses'] },
  { database_type: 'MySQL', name: 'billing-mysql', namespace: 'finance', database_name: 'billing', table: ['invoices', 'accounts'] },
  { database_type: 'MongoDB', name: 'profiles-mongo', namespace: 'identity', database_name: 'profiles', collection: ['users', 'sessions'] },
  { database_type: 'Kafka', name: 'events-kafka', namespace: 'streaming', topic: ['user-signups', 'payment-events'] },
  { database_type: 'PostgreSQL', name: 'support-db', namespace: 'support', database_name: 'helpdesk', table: ['tickets', 'contacts'] },
];
const BUCKETS = ['acme-prod-invoices', 'acme-customer-exports', 'acme-data-lake-raw', 'acme-support-attachments'];
const OBJECT_KEYS = ['exports/2024-05/customers.csv', 'invoices/2024/INV-10442.pdf', 'raw/users/part-0001.parquet', 'tickets/8812/passport.jpg'];

/** mulberry32: tiny, fast, good enough for test data; same seed, same sequence. */
function createRng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const pool = [...items];
    return Array.from({ length: Math.min(int(min, max), pool.length) }, () => pool.splice(int(0, pool.length - 1), 1)[0] as T);
  };
  const hex = (n: number): string => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  return { next, int, pick, some, hex };
}
type Rng = ReturnType<typeof createRng>;

/** FNV-1a over the inputs, so seed, index and type each change the whole event. */
function hashSeed(seed: number, index: number, eventType: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${index}:${eventType}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

const uuid = (r: Rng): string => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${r.hex(3)}-${r.hex(12)}`;
const link = (r: Rng, kind: string): string => `${APP}/${kind}/${r.int(1000, 99999)}`;
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const asset = (r: Rng, name: string, namespace: string): SoverenAsset => ({
  link: link(r, 'data-map/assets'), name, namespace, groups: [{ link: link(r, 'data-map/groups'), name: capitalize(namespace) }],
});
const service = (r: Rng): SoverenAsset => { const [name, ns] = r.pick(SERVICES); return asset(r, name, ns); };
const publicIp = (r: Rng): string => `${r.pick([3, 13, 18, 34, 35, 52, 54, 104, 151])}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;

/** Two distinct internal services: sender and receiver of one flow, plus an endpoint on the receiver. */
function internalFlow(r: Rng) {
  const [sending, receiving] = r.some(SERVICES, 2, 2).map(([n, ns]) => asset(r, n, ns)) as [SoverenAsset, SoverenAsset];
  const [path, method] = r.pick(PATHS);
  const hostname = `${receiving.name}.${receiving.namespace}.svc.cluster.local`;
  return { sending, receiving, endpoint: { link: link(r, 'data-map/endpoints'), url: `https://${hostname}${path}`, hostname, method } };
}

/** An internal service sending to a third party, with the third party's IP and the client's user agent. */
function externalFlow(r: Rng) {
  const [hostname, path, method] = r.pick(EXTERNAL);
  return {
    sending: service(r),
    receiving: { link: link(r, 'data-map/assets'), name: hostname, namespace: '', groups: [] },
    endpoint: { link: link(r, 'data-map/endpoints'), url: `https://${hostname}${path}`, hostname, method },
    third_party_ip: publicIp(r),
    user_agent: r.pick(AGENTS),
  };
}

/** One of our services answering a non-service client (end users, robots), seen by its user agent. */
function outwardFlow(r: Rng, who: string, agents: readonly string[]) {
  const { receiving, endpoint } = internalFlow(r);
  const client = { link: link(r, 'data-map/assets'), name: who, namespace: '', groups: [] };
  return { sending: receiving, receiving: client, endpoint, user_agent: r.pick(agents) };
}

/** A service writing into a data store, with the store's type, database and table/collection/topic. */
function storageFlow(r: Rng, dbOnly = false) {
  const st = r.pick(dbOnly ? STORES.filter((s) => s.database_type !== 'Kafka') : STORES);
  const where = st.table ? { table: r.pick(st.table) }
    : st.collection ? { collection: r.pick(st.collection) } : { topic: r.pick(st.topic ?? []) };
  return {
    sending: service(r),
    receiving: asset(r, st.name, st.namespace),
    database_type: st.database_type,
    ...(st.database_name ? { database_name: st.database_name } : {}),
    ...where,
  };
}

/** Soveren shows an endpoint whose path carries an email as one clustered pattern. */
const withEmailPath = (endpoint: SoverenEvent['endpoint'] & {}) =>
  ({ ...endpoint, url: `https://${endpoint.hostname}/api/v1/users/{email}/orders` });
const dataTypes = (r: Rng, max = 3): string[] => r.some(DATA_TYPES, 1, max);
const evidence = (r: Rng) => ({ evidence_link: `${APP}/events/${uuid(r)}/evidence` });
const policy = (r: Rng, name: string) => ({ policy: { link: link(r, 'policies'), name } });
const release = (r: Rng, sensor: 'dar' | 'dim', critical: boolean): Partial<SoverenEvent> => {
  const version = `${r.int(1, 3)}.${r.int(0, 30)}.${r.int(0, 9)}`;
  const what = sensor === 'dar' ? 'Data-at-rest sensor' : 'Data-in-motion sensor';
  return {
    title: critical ? `Critical update for the ${what}: version ${version}` : `New version of the ${what} is available: ${version}`,
    sensitivity: critical ? 'High' : 'Low',
    release_notes_link: `https://docs.soveren.io/en/stable/changelog/#${sensor}-${version.replaceAll('.', '-')}`,
  };
};
const s3 = (r: Rng, publicObject: boolean): Partial<SoverenEvent> => {
  const bucket = r.pick(BUCKETS);
  return {
    s3_bucket: bucket, data_types: dataTypes(r),
    ...(publicObject ? { object_type: 'object', entity_name: r.pick(OBJECT_KEYS) } : { object_type: 'bucket', entity_name: bucket }),
  };
};

type Builder = (r: Rng) => Partial<SoverenEvent>;
type Sensitivity = (typeof SENSITIVITIES)[number];
type Trigger = 'sending' | 'receiving';
interface Flow { sending: SoverenAsset; receiving: SoverenAsset }

/** A data-flow event: the flow, 1..maxTypes data types, a title from both, a sensitivity picked from the list. */
function flowEvent<F extends Flow>(flowOf: (r: Rng) => F, levels: Sensitivity[], by: Trigger | undefined,
  title: (flow: F, types: string[]) => string, maxTypes = 3, extra: (r: Rng) => Partial<SoverenEvent> = () => ({})): Builder {
  return (r) => {
    const flow = flowOf(r), types = dataTypes(r, maxTypes);
    return { title: title(flow, types), sensitivity: r.pick(levels), data_types: types,
      ...(by ? { event_triggered_by: by } : {}), ...flow, ...extra(r) };
  };
}

/** Per type: the fields that type carries, with a documented title template where one exists. */
const BUILDERS: Record<string, Builder> = {
  '3rd_party_policy_violation': flowEvent(externalFlow, ['High'], 'sending',
    (f, dt) => `Service ${f.sending.name} is sharing ${dt[0]} with third parties`, 3,
    (r) => policy(r, 'No personal data to third parties')),
  anomaly_detected: flowEvent(internalFlow, ['High', 'Medium'], 'receiving', () => 'Anomaly detected', 3, evidence),
  excessive_db_access: flowEvent((r) => storageFlow(r, true), ['High'], 'sending',
    () => 'Excessive database access detected', 3, evidence),
  policy_violation: (r) => {
    // The "data in URL path" variant is a documented title of the same family.
    if (r.next() < 0.3) {
      const flow = internalFlow(r);
      return { title: 'Data type in API URL path detected', sensitivity: 'Medium', data_types: ['Email'],
        event_triggered_by: 'receiving', ...flow, endpoint: withEmailPath(flow.endpoint),
        ...policy(r, 'No sensitive data in URL paths') };
    }
    return flowEvent(internalFlow, ['High', 'Medium'], r.pick(['sending', 'receiving'] as const),
      (_, dt) => `Data type ${dt[0]} is outside the allowed set of assets`, 3,
      (r2) => policy(r2, 'Allowed assets for personal data'))(r);
  },
  policy_violation_dar: flowEvent(storageFlow, ['High', 'Medium'], undefined,
    (_, dt) => `Data type ${dt[0]} is outside the allowed set of data stores`, 3,
    (r) => ({ ...policy(r, 'Allowed data stores for personal data'), ...evidence(r) })),
  custom_asset_rule_conflict: (r) => ({
    title: 'Conflict in rules for custom external connections', sensitivity: 'Low', ...externalFlow(r),
    conflicting_assets: r.some(['Payment providers', 'Marketing SaaS', 'Stripe', 'Analytics vendors', 'Corporate VPN'], 2, 3)
      .map((name) => ({ name, link: link(r, 'settings/custom-assets') })),
  }),
  email_clustered: (r) => {
    const flow = internalFlow(r);
    return { title: `Endpoints of ${flow.receiving.name} with emails in the path were clustered`, sensitivity: 'Low',
      data_types: ['Email'], event_triggered_by: 'receiving', ...flow, endpoint: withEmailPath(flow.endpoint) };
  },
  new_data_type: flowEvent(internalFlow, ['Medium', 'Low'], 'sending',
    (f, dt) => `New data type ${dt[0]} detected in ${f.sending.name}`, 1),
  new_external_receiver: flowEvent(externalFlow, ['Medium'], 'sending',
    (f) => `Service ${f.sending.name} started sending data to new external receiver ${f.receiving.name}`),
  new_internal_receiver: flowEvent(internalFlow, ['Low'], 'receiving', (f) => `New internal receiver ${f.receiving.name} detected`),
  new_internal_sender: flowEvent(internalFlow, ['Low'], 'sending', (f) => `New internal sender ${f.sending.name} detected`),
  new_potential_data_storage: flowEvent(storageFlow, ['Low'], undefined, (f) => `Potential data storage ${f.receiving.name} detected`),
  new_data_storage: flowEvent(storageFlow, ['Medium'], undefined,
    (f) => `New data storage ${f.receiving.name} (${f.database_type}) detected`),
  started_storing_data: flowEvent(storageFlow, ['Medium'], undefined,
    (f) => `Data storage ${f.receiving.name} started storing sensitive data`, 3, evidence),
  started_storing_datatype: flowEvent(storageFlow, ['High', 'Medium'], undefined,
    (f, dt) => `Data storage ${f.receiving.name} started storing ${dt[0]}`, 1, evidence),
  // End users and robots receive from one of our services: the service is the sender.
  updated_enduser_receiver: flowEvent((r) => outwardFlow(r, 'End users', BROWSERS), ['Medium'], 'sending',
    (f, dt) => `Service ${f.sending.name} started sending ${dt[0]} to end users`, 2),
  updated_external_receiver: flowEvent(externalFlow, ['Medium'], 'sending',
    (f, dt) => `External receiver ${f.receiving.name} started receiving ${dt[0]}`, 2),
  updated_internal_receiver: flowEvent(internalFlow, ['Low'], 'receiving',
    (f, dt) => `Internal receiver ${f.receiving.name} started receiving ${dt[0]}`, 2),
  updated_internal_sender: flowEvent(internalFlow, ['Low'], 'sending',
    (f, dt) => `Internal sender ${f.sending.name} started sending ${dt[0]}`, 2),
  updated_robot_receiver: flowEvent((r) => ({ ...outwardFlow(r, 'Robots', ROBOTS), third_party_ip: publicIp(r) }), ['Medium'], 'sending',
    (f, dt) => `Robots started receiving ${dt[0]} from ${f.sending.name}`, 2),
  policy_public_s3_bucket: (r) => {
    const f = s3(r, true);
    return { title: `S3 bucket ${f.s3_bucket} with sensitive data is publicly accessible`, sensitivity: 'High', ...f, ...evidence(r) };
  },
  policy_unencrypted_network: flowEvent((r) => {
    const flow = internalFlow(r);
    return { ...flow, endpoint: { ...flow.endpoint, url: flow.endpoint.url.replace(/^https:/, 'http:') }, scheme: 'http' };
  }, ['High'], 'sending', (f, dt) => `Service ${f.sending.name} sends ${dt[0]} over unencrypted HTTP`, 2),
  policy_unencrypted_rds: (r) => {
    const st = r.pick(STORES.filter((s) => s.database_type === 'PostgreSQL' || s.database_type === 'MySQL'));
    const id = `${r.pick(['prod', 'staging'])}-${st.name}`;
    return { title: `RDS instance ${id} with sensitive data is not encrypted at rest`, sensitivity: 'High',
      data_types: dataTypes(r), object_type: 'rds_instance', entity_name: id,
      database_type: st.database_type, database_name: st.database_name, table: r.pick(st.table ?? []) };
  },
  policy_unencrypted_s3_bucket: (r) => {
    const f = s3(r, false);
    return { title: `S3 bucket ${f.s3_bucket} with sensitive data is not encrypted`, sensitivity: 'High', ...f };
  },
  dar_release_update: (r) => release(r, 'dar', false),
  dar_release_update_critical: (r) => release(r, 'dar', true),
  dim_release_update: (r) => release(r, 'dim', false),
  dim_release_update_critical: (r) => release(r, 'dim', true),
  discovery_complete: (r) => ({ title: `Discovery of data at rest is complete: ${r.int(3, 40)} data stores scanned`, sensitivity: 'Low' }),
};

// Legacy names: "New data type" for events about new data types in known flows or stores,
// "Data flow change" for new or changed flows; misconfiguration never had a legacy name.
const LEGACY_NEW_DATA_TYPE = new Set(['new_data_type', 'started_storing_datatype', 'updated_enduser_receiver',
  'updated_external_receiver', 'updated_internal_receiver', 'updated_internal_sender', 'updated_robot_receiver']);

function categoryName(eventType: string, form: CategoryForm): string {
  const info = categoryOfEventType(eventType);
  if (!info) return form === 'slug' ? 'other' : 'Other';
  if (form === 'slug') return info.facet;
  if (form === 'display') return info.display;
  if (info.facet === 'data_at_risk') return 'Policy violation';
  if (info.facet === 'infrastructure_updates') return LEGACY_NEW_DATA_TYPE.has(eventType) ? 'New data type' : 'Data flow change';
  return info.display;
}

/** One event of `eventType`; deterministic for the same seed, index and `now`. Unknown types get a generic event. */
export function createEvent(eventType: string, options: EventOptions = {}): SoverenEvent {
  const { seed = 1, index = 0, categoryForm = 'display', now = new Date() } = options;
  const r = createRng(hashSeed(seed, index, eventType));
  const time = new Date(now.getTime() - r.int(5_000, 900_000)).toISOString();
  const eventLink = `${APP}/events/${uuid(r)}`;
  const build: Builder = (Object.hasOwn(BUILDERS, eventType) ? BUILDERS[eventType] : undefined) ?? (() => ({}));
  const { title, sensitivity, ...fields } = build(r);
  const event: SoverenEvent = {
    title: title ?? `Soveren event ${eventType}`,
    sensitivity: sensitivity ?? 'Low',
    time,
    event_link: eventLink,
    category: categoryName(eventType, categoryForm),
    event_type: eventType,
    ...fields,
  };
  // Key order as in Soveren's documented example, so serialized events read like real ones.
  const ordered: SoverenEvent = {};
  for (const key of [...KNOWN_FIELDS, ...Object.keys(event)]) if (event[key] !== undefined) ordered[key] = event[key];
  return ordered;
}

/** A batch: `all` (every documented type), `types` and/or `category` (any naming form), `count` rounds of each. */
export function createEvents(options: EventsOptions): SoverenEvent[] {
  const { count = 1, seed, categoryForm, now = new Date() } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const types = options.all ? [...EVENT_TYPES] : [...(options.types ?? [])];
  if (!options.all && options.category !== undefined) {
    const info = findCategory(options.category);
    if (!info) throw new Error(`unknown category: ${options.category}`);
    types.push(...info.eventTypes.filter((t) => !types.includes(t)));
  }
  if (types.length === 0) throw new Error('createEvents needs types, a category or all');
  const events: SoverenEvent[] = [];
  for (let round = 0; round < count; round++) {
    for (const type of types) events.push(createEvent(type, { seed, index: events.length, categoryForm, now }));
  }
  return events;
}

/** Compact JSON, as Soveren puts it on the wire. */
export function serializeEvent(event: SoverenEvent): string {
  return JSON.stringify(event);
}
