// Soveren's category facets as the UI shows them: display names, every naming form, and
// which category each documented event type belongs to. Mirrors server/soveren/catalog.ts
// (the UI may import only types from the server); test/unit/ui-categories.test.ts keeps
// the two in step.
import type { FacetCount } from '../../server/protocol.ts';

export interface UiCategory {
  facet: string;
  display: string;
  aliases: readonly string[];
  eventTypes: readonly string[];
}

export const UI_CATEGORIES: readonly UiCategory[] = [
  {
    facet: 'data_at_risk',
    display: 'Data at risk',
    aliases: ['Policy violation', 'policy_violations'],
    eventTypes: [
      '3rd_party_policy_violation', 'anomaly_detected', 'excessive_db_access', 'policy_violation',
      'policy_violation_dar',
    ],
  },
  {
    facet: 'infrastructure_updates',
    display: 'Infrastructure updates',
    aliases: ['New data type', 'new_data_types', 'Data flow change', 'data_flow_changes'],
    eventTypes: [
      'custom_asset_rule_conflict', 'email_clustered', 'new_data_type', 'new_external_receiver',
      'new_internal_receiver', 'new_internal_sender', 'new_potential_data_storage', 'new_data_storage',
      'started_storing_data', 'started_storing_datatype', 'updated_enduser_receiver',
      'updated_external_receiver', 'updated_internal_receiver', 'updated_internal_sender',
      'updated_robot_receiver',
    ],
  },
  {
    facet: 'misconfiguration',
    display: 'Misconfiguration',
    aliases: [],
    eventTypes: [
      'policy_public_s3_bucket', 'policy_unencrypted_network', 'policy_unencrypted_rds',
      'policy_unencrypted_s3_bucket',
    ],
  },
  {
    facet: 'other',
    display: 'Other',
    aliases: ['others'],
    eventTypes: [
      'dar_release_update', 'dar_release_update_critical', 'dim_release_update',
      'dim_release_update_critical', 'discovery_complete',
    ],
  },
];

/** How the API names a missing value in facets and the histogram. */
export const NO_VALUE = '(none)';

const byForm = new Map<string, UiCategory>();
const byType = new Map<string, UiCategory>();
for (const c of UI_CATEGORIES) {
  for (const form of [c.facet, c.display, ...c.aliases]) byForm.set(normalizeForm(form), c);
  for (const t of c.eventTypes) byType.set(t, c);
}

function normalizeForm(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

/** The facet any naming form of a category belongs to; unknown values are their own facet. */
export function toCategoryFacet(raw: string): string {
  return byForm.get(normalizeForm(raw))?.facet ?? raw;
}

/** "Data at risk" for data_at_risk (or any other form); unknown values as they are. */
export function categoryLabel(facetOrForm: string | null): string {
  if (facetOrForm === null || facetOrForm === '' || facetOrForm === NO_VALUE) return NO_VALUE;
  return byForm.get(normalizeForm(facetOrForm))?.display ?? facetOrForm;
}

/** The documented category facet of an event type, or null for unknown types. */
export function categoryOfEventType(eventType: string): string | null {
  return byType.get(eventType)?.facet ?? null;
}

export interface EventTypeGroup {
  /** Category facet, or null for event types no category documents. */
  facet: string | null;
  label: string;
  items: FacetCount[];
}

/** Event-type counts grouped under their category, in catalog order, unknown types last. */
export function groupEventTypes(counts: readonly FacetCount[]): EventTypeGroup[] {
  const groups = new Map<string | null, FacetCount[]>();
  for (const count of counts) {
    const facet = categoryOfEventType(count.value);
    const list = groups.get(facet) ?? [];
    list.push(count);
    groups.set(facet, list);
  }
  const out: EventTypeGroup[] = [];
  for (const c of UI_CATEGORIES) {
    const items = groups.get(c.facet);
    if (items) out.push({ facet: c.facet, label: c.display, items });
  }
  const unknown = groups.get(null);
  if (unknown) out.push({ facet: null, label: 'Undocumented types', items: unknown });
  return out;
}

/** A stable colour slot per facet for badges and chart segments. */
export function categoryTone(facet: string | null): string {
  switch (facet) {
    case 'data_at_risk':
    case 'infrastructure_updates':
    case 'misconfiguration':
    case 'other':
      return facet;
    case null:
    case '':
    case NO_VALUE:
      return 'none';
    default:
      return 'unknown';
  }
}
