// What every mapping reads from a delivery, computed once: the event object parsed from the
// exact bytes, and the facts the formats share (facet, severity, event id, time, lifecycle).
import type { Finding } from '../common/protocol.ts';
import { categoryFacetOf, categoryOfEventType } from '../common/catalog.ts';

export type EventObject = Record<string, unknown>;
export type Sensitivity = 'High' | 'Medium' | 'Low';

export interface EventFacts {
  /** Category facet (any naming form of `category`, else the event type's documented one). */
  facet: string | undefined;
  eventType: string | undefined;
  /** `sensitivity` in its documented form, when it names one (case-insensitive). */
  sensitivity: Sensitivity | undefined;
  /** The event id from `event_link` (`.../events/<id>`), else the body's SHA-256. */
  eventId: string;
  eventIdFrom: 'event_link' | 'body SHA-256';
  /** Epoch milliseconds of `time`, or of the receipt when `time` is missing or invalid. */
  timeMs: number;
  timeFrom: 'time' | 'receivedAt';
  /** 1 at rest, 2 in transit, 0 unknown (OCSF data_lifecycle_state_id). */
  lifecycle: 0 | 1 | 2;
  findings: Finding[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as an event object, or why it cannot be one. */
export function parseEventBody(body: Uint8Array): { ok: true; event: EventObject; text: string } | { ok: false; reason: string } {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8, so it is not a JSON event object' };
  }
  if (text.trim() === '') return { ok: false, reason: 'the body is empty; Soveren sends one JSON event object' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `the body is not valid JSON (${(err as Error).message.slice(0, 200)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { ok: false, reason: `the body is JSON but ${kind}, not an object; Soveren sends one JSON event object` };
  }
  return { ok: true, event: value as EventObject, text };
}

/** An own property of a parsed JSON object (never one inherited from Object.prototype). */
export function ownValue(object: unknown, key: string): unknown {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  return Object.hasOwn(object, key) ? (object as EventObject)[key] : undefined;
}

export function isPlainObject(value: unknown): value is EventObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// Which part of the data lifecycle an event type is about. Soveren has two sensors: the
// data-in-motion sensor watches traffic between services, third parties and databases (in
// transit); the data-at-rest sensor scans data stores, S3 buckets and RDS (at rest). Release
// updates are about the sensor they name. OCSF data_lifecycle_state_id: 1 at rest, 2 in transit.
const AT_REST = 1;
const IN_TRANSIT = 2;
export const DATA_LIFECYCLE: Readonly<Record<string, 1 | 2>> = Object.freeze({
  '3rd_party_policy_violation': IN_TRANSIT,
  anomaly_detected: IN_TRANSIT,
  excessive_db_access: IN_TRANSIT, // seen on the wire between a service and its database
  policy_violation: IN_TRANSIT,
  policy_violation_dar: AT_REST,
  custom_asset_rule_conflict: IN_TRANSIT,
  email_clustered: IN_TRANSIT,
  new_data_type: IN_TRANSIT,
  new_external_receiver: IN_TRANSIT,
  new_internal_receiver: IN_TRANSIT,
  new_internal_sender: IN_TRANSIT,
  new_potential_data_storage: AT_REST,
  new_data_storage: AT_REST,
  started_storing_data: AT_REST,
  started_storing_datatype: AT_REST,
  updated_enduser_receiver: IN_TRANSIT,
  updated_external_receiver: IN_TRANSIT,
  updated_internal_receiver: IN_TRANSIT,
  updated_internal_sender: IN_TRANSIT,
  updated_robot_receiver: IN_TRANSIT,
  policy_public_s3_bucket: AT_REST,
  policy_unencrypted_network: IN_TRANSIT,
  policy_unencrypted_rds: AT_REST,
  policy_unencrypted_s3_bucket: AT_REST,
  dar_release_update: AT_REST,
  dar_release_update_critical: AT_REST,
  dim_release_update: IN_TRANSIT,
  dim_release_update_critical: IN_TRANSIT,
  discovery_complete: AT_REST, // "Discovery of data at rest is complete"
});

// RFC 3339 date-time (what `Date.prototype.toISOString()` writes, offsets allowed): only this
// shape is read, because Date.parse of anything else is implementation-defined.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const EVENT_ID = /\/events\/([^/?#]+)/;
const SENSITIVITY: Readonly<Record<string, Sensitivity>> = { high: 'High', medium: 'Medium', low: 'Low' };

/** The facts every format needs, read once per delivery. */
export function readFacts(event: EventObject, receivedAt: string, bodySha256: string): EventFacts {
  const category = ownValue(event, 'category');
  const eventTypeValue = ownValue(event, 'event_type');
  const eventType = typeof eventTypeValue === 'string' ? eventTypeValue : undefined;
  const facet = typeof category === 'string' && category.trim() !== '' ? categoryFacetOf(category)
    : eventType !== undefined ? categoryOfEventType(eventType)?.facet : undefined;
  const sensitivityValue = ownValue(event, 'sensitivity');
  const sensitivity = typeof sensitivityValue === 'string' ? SENSITIVITY[sensitivityValue.trim().toLowerCase()] : undefined;
  const link = ownValue(event, 'event_link');
  const idMatch = typeof link === 'string' ? EVENT_ID.exec(link) : null;
  const time = ownValue(event, 'time');
  const parsed = typeof time === 'string' && RFC3339.test(time) ? Date.parse(time) : Number.NaN;
  const findings: Finding[] = [];
  let timeMs = parsed;
  if (Number.isNaN(parsed)) {
    timeMs = Date.parse(receivedAt);
    const why = time === undefined ? 'the event has no "time"' : `"time" ${typeof time === 'string' ? `"${time.slice(0, 60)}" is not an RFC 3339 date-time` : 'is not a string'}`;
    findings.push({ code: 'siem_time_fallback', severity: 'warning', message: `${why}; the SIEM time is the time of receipt` });
  }
  return {
    facet,
    eventType,
    sensitivity,
    eventId: idMatch ? idMatch[1]! : bodySha256,
    eventIdFrom: idMatch ? 'event_link' : 'body SHA-256',
    timeMs,
    timeFrom: Number.isNaN(parsed) ? 'receivedAt' : 'time',
    lifecycle: eventType !== undefined && Object.hasOwn(DATA_LIFECYCLE, eventType) ? DATA_LIFECYCLE[eventType]! : 0,
    findings,
  };
}
