// Soveren event -> an Elastic Common Schema 9.4 document. ECS fields where ECS has one
// (https://www.elastic.co/guide/en/ecs/current/ecs-field-reference.html); everything else
// under `soveren.*`, and the exact body in event.original.
import { isIP } from 'node:net';
import { createFieldRecorder, nestLeftovers } from './fields.ts';
import { SEVERITY_ID, type MapInput, type Mapped } from './shared.ts';

export const ECS_VERSION = '9.4.0';

type Pair = readonly [category: readonly string[], type: readonly string[]];
const FLOW: Pair = [['network'], ['info']];
const STORE: Pair = [['database'], ['info']];
// event.category / event.type per event type. Every type listed is one ECS expects for each
// of its categories (EcsFlat['event.category'].allowed_values[].expected_event_types), which
// the ECS test checks. Unknown types get no category rather than a guessed one.
const CATEGORY_TYPE: Readonly<Record<string, Pair>> = {
  '3rd_party_policy_violation': FLOW,
  anomaly_detected: [['network', 'intrusion_detection'], ['info']],
  excessive_db_access: [['database'], ['access']],
  policy_violation: FLOW,
  policy_violation_dar: STORE,
  custom_asset_rule_conflict: [['configuration'], ['info']],
  email_clustered: [['web'], ['info']],
  new_data_type: FLOW,
  new_external_receiver: [['network'], ['connection', 'info']],
  new_internal_receiver: [['network'], ['connection', 'info']],
  new_internal_sender: [['network'], ['connection', 'info']],
  new_potential_data_storage: STORE,
  new_data_storage: STORE,
  started_storing_data: [['database'], ['change']],
  started_storing_datatype: [['database'], ['change']],
  updated_enduser_receiver: [['web'], ['info']],
  updated_external_receiver: FLOW,
  updated_internal_receiver: FLOW,
  updated_internal_sender: FLOW,
  updated_robot_receiver: [['web'], ['info']],
  policy_public_s3_bucket: [['configuration', 'file'], ['info']],
  policy_unencrypted_network: [['configuration', 'network'], ['info']],
  policy_unencrypted_rds: [['configuration', 'database'], ['info']],
  policy_unencrypted_s3_bucket: [['configuration', 'file'], ['info']],
  dar_release_update: [['package'], ['info']],
  dar_release_update_critical: [['package'], ['info']],
  dim_release_update: [['package'], ['info']],
  dim_release_update_critical: [['package'], ['info']],
  discovery_complete: STORE,
};
// scheme://authority/path?query, read as written (a WHATWG URL would percent-encode `{id}`).
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/;

export function mapEcs({ event, text, facts, source }: MapInput): Mapped {
  const rec = createFieldRecorder(event);
  const fixed = (target: string, value: unknown) => rec.derive('(fixed)', target, value);
  const timestamp = new Date(facts.timeMs).toISOString();
  const doc: Record<string, unknown> = { '@timestamp': timestamp, ecs: { version: ECS_VERSION } };
  // The same instant written the same way is carried; any other spelling stays in soveren.time.
  if (facts.timeFrom === 'time' && rec.text(['time']) === timestamp) rec.carry(['time'], '@timestamp', timestamp);
  else rec.derive(facts.timeFrom, '@timestamp', timestamp);
  fixed('ecs.version', ECS_VERSION);
  const title = rec.text(['title']);
  if (title !== undefined) rec.carry(['title'], 'message', (doc.message = title));

  const kind = facts.facet === 'data_at_risk' || facts.facet === 'misconfiguration' ? 'alert' : 'event';
  const ev: Record<string, unknown> = { kind };
  rec.derive(['category'], 'event.kind', kind);
  const pair = facts.eventType !== undefined && Object.hasOwn(CATEGORY_TYPE, facts.eventType) ? CATEGORY_TYPE[facts.eventType] : undefined;
  if (pair) {
    ev.category = [...pair[0]];
    ev.type = [...pair[1]];
    rec.derive(['event_type'], 'event.category', ev.category);
    rec.derive(['event_type'], 'event.type', ev.type);
  }
  if (facts.sensitivity) rec.derive(['sensitivity'], 'event.severity', (ev.severity = SEVERITY_ID[facts.sensitivity]));
  if (facts.eventType !== undefined) rec.carry(['event_type'], 'event.action', (ev.action = facts.eventType));
  const link = rec.text(['event_link']);
  if (link !== undefined) rec.carry(['event_link'], 'event.url', (ev.url = link));
  ev.id = facts.eventId;
  rec.derive(facts.eventIdFrom === 'event_link' ? ['event_link'] : '(body SHA-256)', 'event.id', facts.eventId);
  const evidence = rec.text(['evidence_link']);
  if (evidence !== undefined) rec.carry(['evidence_link'], 'event.reference', (ev.reference = evidence));
  ev.created = source.receivedAt;
  rec.derive('receivedAt', 'event.created', source.receivedAt);
  ev.module = 'soveren';
  ev.dataset = 'soveren.event';
  ev.original = text;
  fixed('event.module', 'soveren');
  fixed('event.dataset', 'soveren.event');
  rec.derive('(body)', 'event.original', text);
  doc.event = ev;

  const policyName = rec.text(['policy', 'name']);
  const policyLink = rec.text(['policy', 'link']);
  if (policyName !== undefined || policyLink !== undefined) {
    const rule: Record<string, unknown> = {};
    if (policyName !== undefined) rec.carry(['policy', 'name'], 'rule.name', (rule.name = policyName));
    if (policyLink !== undefined) rec.carry(['policy', 'link'], 'rule.reference', (rule.reference = policyLink));
    doc.rule = rule;
  }
  doc.observer = { vendor: 'Soveren', product: 'Soveren' };
  fixed('observer.vendor', 'Soveren');
  fixed('observer.product', 'Soveren');

  const service: Record<string, unknown> = {};
  for (const [side, target] of [['sending', 'origin'], ['receiving', 'target']] as const) {
    const s: Record<string, unknown> = {};
    const name = rec.text([side, 'name']);
    const id = rec.text([side, 'link']);
    if (name !== undefined) rec.carry([side, 'name'], `service.${target}.name`, (s.name = name));
    if (id !== undefined) rec.carry([side, 'link'], `service.${target}.id`, (s.id = id));
    if (Object.keys(s).length > 0) service[target] = s;
  }
  if (Object.keys(service).length > 0) doc.service = service;

  const url: Record<string, unknown> = {};
  const full = rec.text(['endpoint', 'url']);
  if (full !== undefined) {
    rec.carry(['endpoint', 'url'], 'url.full', (url.full = full));
    const parts = URL_PARTS.exec(full);
    if (parts) {
      rec.derive(['endpoint', 'url'], 'url.scheme', (url.scheme = parts[1]!.toLowerCase()));
      const port = /:(\d{1,5})$/.exec(parts[2]!);
      if (port && Number(port[1]) <= 65535) rec.derive(['endpoint', 'url'], 'url.port', (url.port = Number(port[1])));
      if (parts[3] !== '') rec.derive(['endpoint', 'url'], 'url.path', (url.path = parts[3]));
      if (parts[4] !== undefined && parts[4] !== '') rec.derive(['endpoint', 'url'], 'url.query', (url.query = parts[4]));
    }
  }
  const hostname = rec.text(['endpoint', 'hostname']);
  if (hostname !== undefined) rec.carry(['endpoint', 'hostname'], 'url.domain', (url.domain = hostname));
  if (Object.keys(url).length > 0) doc.url = url;
  const method = rec.text(['endpoint', 'method']);
  if (method !== undefined) {
    rec.carry(['endpoint', 'method'], 'http.request.method', method);
    doc.http = { request: { method } };
  }
  const ip = rec.text(['third_party_ip']);
  if (ip !== undefined && isIP(ip) !== 0) {
    rec.carry(['third_party_ip'], 'destination.ip', ip);
    doc.destination = { ip };
  }
  const agent = rec.text(['user_agent']);
  if (agent !== undefined) {
    rec.carry(['user_agent'], 'user_agent.original', agent);
    doc.user_agent = { original: agent };
  }

  const leftovers = rec.leftovers();
  if (leftovers.length > 0) doc.soveren = nestLeftovers(leftovers);
  return { output: doc, fields: rec.fields, leftovers, unmappedTarget: 'soveren.*' };
}
