// Soveren's category facets as the UI shows them: display names, every naming form, and
// which category each documented event type belongs to, from the server's catalog itself
// (server/common/catalog.ts, a pure module), plus the UI's grouping, labels and tones.
import type { FacetCount } from '../../server/common/protocol.ts';
import { CATEGORIES, categoryFacetOf, categoryOfEventType as categoryOf, findCategory, type CategoryInfo } from '../../server/common/catalog.ts';

export type UiCategory = CategoryInfo;

/** The documented categories, in catalog order (the facet panel and pickers keep it). */
export const UI_CATEGORIES: readonly UiCategory[] = CATEGORIES;

/** How the API names a missing value in facets and the histogram. */
export const NO_VALUE = '(none)';

/** The facet any naming form of a category belongs to; unknown values are their own facet. */
export const toCategoryFacet = categoryFacetOf;

/** "Data at risk" for data_at_risk (or any other form); unknown values as they are. */
export function categoryLabel(facetOrForm: string | null): string {
  if (facetOrForm === null || facetOrForm === '' || facetOrForm === NO_VALUE) return NO_VALUE;
  return findCategory(facetOrForm)?.display ?? facetOrForm;
}

/** The documented category facet of an event type, or null for unknown types. */
export function categoryOfEventType(eventType: string): string | null {
  return categoryOf(eventType)?.facet ?? null;
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
