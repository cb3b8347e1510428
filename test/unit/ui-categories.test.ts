// The UI takes its category catalog from the server's: the two are one table.
import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryFacetOf } from '../../server/common/catalog.ts';
import { categoryLabel, categoryOfEventType, groupEventTypes, toCategoryFacet, UI_CATEGORIES } from '../../ui/state/categories.ts';

describe('UI categories', () => {
  it('match server/common/catalog.ts', () => {
    expect(UI_CATEGORIES.map((c) => [c.facet, c.display, [...c.eventTypes].sort()])).toEqual(
      CATEGORIES.map((c) => [c.facet, c.display, [...c.eventTypes].sort()]),
    );
    for (const c of CATEGORIES) {
      for (const form of [c.display, c.facet, ...c.aliases, c.display.toUpperCase(), ` ${c.facet} `]) {
        expect(toCategoryFacet(form), form).toBe(categoryFacetOf(form));
      }
      for (const t of c.eventTypes) expect(categoryOfEventType(t)).toBe(c.facet);
    }
  });

  it('labels facets with display names and leaves unknown ones as they are', () => {
    expect(['data_at_risk', 'infrastructure_updates', 'misconfiguration', 'other', 'others', 'Shiny new', '(none)'].map(categoryLabel)).toEqual([
      'Data at risk', 'Infrastructure updates', 'Misconfiguration', 'Other', 'Other', 'Shiny new', '(none)',
    ]);
  });

  it('groups event types under their category, unknown last', () => {
    const groups = groupEventTypes([
      { value: 'zzz_future', count: 1 },
      { value: 'discovery_complete', count: 2 },
      { value: 'policy_violation', count: 3 },
      { value: 'anomaly_detected', count: 1 },
    ]);
    expect(groups.map((g) => [g.label, g.items.map((i) => i.value)])).toEqual([
      ['Data at risk', ['policy_violation', 'anomaly_detected']],
      ['Other', ['discovery_complete']],
      ['Undocumented types', ['zzz_future']],
    ]);
  });
});
