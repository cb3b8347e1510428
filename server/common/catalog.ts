// What Soveren documents about its events: categories in every naming form, the 29
// event types by category, and the known event fields. Pure data and lookups.
// Source: Soveren's public webhook documentation (facts extracted here; nothing is read at run time).
import type { SignatureVerdict, UserAgentVerdict } from './protocol.ts';

export const SOVEREN_USER_AGENT = 'SoverenWebhook/1.0';
/**
 * Signature verdicts, in the order facets list them. `unchecked` is the one word for "no
 * signature was checked" (no token configured): row badges, facets, the API and the CLI all say it.
 */
export const SIGNATURE_VERDICTS: readonly SignatureVerdict[] = ['valid', 'invalid', 'missing', 'malformed', 'unchecked'];
export const USER_AGENT_VERDICTS: readonly UserAgentVerdict[] = ['ok', 'mismatch', 'missing'];

export const SIGNATURE_HEADER = 'x-soveren-signature';

export type CategoryFacet = 'infrastructure_updates' | 'data_at_risk' | 'misconfiguration' | 'other';

export interface CategoryInfo {
  facet: CategoryFacet;
  /** Current display form, what Soveren writes in `category` today. */
  display: string;
  /** Every other accepted spelling: slug, legacy display and legacy slug forms. */
  aliases: readonly string[];
  eventTypes: readonly string[];
}

export const CATEGORIES: readonly CategoryInfo[] = [
  {
    facet: 'data_at_risk',
    display: 'Data at risk',
    aliases: ['data_at_risk', 'Policy violation', 'policy_violations'],
    eventTypes: [
      '3rd_party_policy_violation',
      'anomaly_detected',
      'excessive_db_access',
      'policy_violation',
      'policy_violation_dar',
    ],
  },
  {
    facet: 'infrastructure_updates',
    display: 'Infrastructure updates',
    aliases: [
      'infrastructure_updates',
      'New data type',
      'new_data_types',
      'Data flow change',
      'data_flow_changes',
    ],
    eventTypes: [
      'custom_asset_rule_conflict',
      'email_clustered',
      'new_data_type',
      'new_external_receiver',
      'new_internal_receiver',
      'new_internal_sender',
      'new_potential_data_storage',
      'new_data_storage',
      'started_storing_data',
      'started_storing_datatype',
      'updated_enduser_receiver',
      'updated_external_receiver',
      'updated_internal_receiver',
      'updated_internal_sender',
      'updated_robot_receiver',
    ],
  },
  {
    facet: 'misconfiguration',
    display: 'Misconfiguration',
    aliases: ['misconfiguration'],
    eventTypes: [
      'policy_public_s3_bucket',
      'policy_unencrypted_network',
      'policy_unencrypted_rds',
      'policy_unencrypted_s3_bucket',
    ],
  },
  {
    facet: 'other',
    display: 'Other',
    aliases: ['other', 'others'],
    eventTypes: [
      'dar_release_update',
      'dar_release_update_critical',
      'dim_release_update',
      'dim_release_update_critical',
      'discovery_complete',
    ],
  },
];

export const EVENT_TYPES: readonly string[] = CATEGORIES.flatMap((c) => c.eventTypes);

export const SENSITIVITIES = ['High', 'Medium', 'Low'] as const;

/** Top-level fields Soveren documents; anything else is kept and shown as "extra". */
export const KNOWN_FIELDS: readonly string[] = [
  'title', 'sensitivity', 'time', 'event_link', 'category', 'event_type', 'data_types',
  'event_triggered_by', 'sending', 'receiving', 'endpoint', 'policy', 'conflicting_assets',
  'third_party_ip', 'user_agent', 'release_notes_link', 'evidence_link', 'object_type',
  'entity_name', 's3_bucket', 'database_type', 'database_name', 'table', 'collection',
  'topic', 'scheme',
];

const byForm = new Map<string, CategoryInfo>();
const byEventType = new Map<string, CategoryInfo>();
for (const info of CATEGORIES) {
  for (const form of [info.display, info.facet, ...info.aliases]) byForm.set(normalizeForm(form), info);
  for (const type of info.eventTypes) byEventType.set(type, info);
}

/** Case- and separator-insensitive key, so "Data at risk" and "data_at_risk" meet. */
function normalizeForm(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

/** The documented category a raw `category` value names, in any form; undefined if unknown. */
export function findCategory(raw: string): CategoryInfo | undefined {
  return byForm.get(normalizeForm(raw));
}

/**
 * The facet a raw category value is grouped under: the documented facet for every known
 * form, otherwise the raw value itself (unknown categories are their own facet).
 */
export function categoryFacetOf(raw: string): string {
  return findCategory(raw)?.facet ?? raw;
}

/** The category an event type is documented under, if any. */
export function categoryOfEventType(eventType: string): CategoryInfo | undefined {
  return byEventType.get(eventType);
}

export function isKnownEventType(eventType: string): boolean {
  return byEventType.has(eventType);
}
