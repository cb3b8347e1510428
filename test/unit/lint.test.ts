// Lint findings for event objects, and category grouping in the catalog.
import { describe, expect, it } from 'vitest';
import { lintEvent } from '../../server/soveren/lint.ts';
import { CATEGORIES, EVENT_TYPES, categoryFacetOf, categoryOfEventType } from '../../server/common/catalog.ts';

const codes = (e: unknown) => lintEvent(e).map((f) => f.code).sort();
const good = {
  title: 'Anomaly detected',
  sensitivity: 'High',
  time: '2026-11-29T10:00:00.000Z',
  category: 'Data at risk',
  event_type: 'anomaly_detected',
};

describe('catalog', () => {
  it('documents 29 event types in 4 categories', () => {
    expect(EVENT_TYPES).toHaveLength(29);
    expect(new Set(EVENT_TYPES).size).toBe(29);
    expect(CATEGORIES.map((c) => c.facet).sort()).toEqual(['data_at_risk', 'infrastructure_updates', 'misconfiguration', 'other']);
  });

  it('groups every naming form of a category under one facet', () => {
    const forms: [string, string][] = [
      ['Infrastructure updates', 'infrastructure_updates'], ['infrastructure_updates', 'infrastructure_updates'],
      ['New data type', 'infrastructure_updates'], ['Data flow change', 'infrastructure_updates'],
      ['new_data_types', 'infrastructure_updates'], ['data_flow_changes', 'infrastructure_updates'],
      ['Data at risk', 'data_at_risk'], ['Policy violation', 'data_at_risk'], ['policy_violations', 'data_at_risk'],
      ['Misconfiguration', 'misconfiguration'], ['Other', 'other'], ['others', 'other'], ['DATA AT RISK', 'data_at_risk'],
    ];
    for (const [form, facet] of forms) expect(categoryFacetOf(form), form).toBe(facet);
    expect(categoryFacetOf('Brand new category')).toBe('Brand new category');
    expect(categoryOfEventType('policy_public_s3_bucket')?.facet).toBe('misconfiguration');
  });
});

describe('lintEvent', () => {
  it('finds nothing in a documented event', () => {
    expect(lintEvent(good)).toEqual([]);
  });

  it('flags unknown and mismatched event types', () => {
    expect(codes({ ...good, event_type: 'quantum_leak' })).toEqual(['unknown_event_type']);
    expect(codes({ ...good, event_type: 'discovery_complete' })).toEqual(['category_mismatch']);
  });

  it('notes legacy category forms but accepts them', () => {
    expect(codes({ ...good, category: 'Policy violation' })).toEqual(['category_form']);
    expect(codes({ ...good, category: 'Nonsense' })).toEqual(['unknown_category']);
  });

  it('checks sensitivity, time and required fields', () => {
    expect(codes({ ...good, sensitivity: 'Critical' })).toEqual(['bad_sensitivity']);
    expect(codes({ ...good, time: 'yesterday' })).toEqual(['bad_time']);
    expect(codes({ ...good, time: '2026-11-29T10:00:00Z' })).toEqual(['time_format']);
    expect(codes({ sensitivity: 'Low' })).toEqual(['missing_category', 'missing_event_type', 'missing_title']);
    expect(codes({ ...good, title: 42 })).toEqual(['bad_title']);
  });

  it('keeps unknown fields as an info finding', () => {
    const f = lintEvent({ ...good, brand_new: 1 });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'extra_fields', severity: 'info' });
    expect(f[0]!.message).toContain('brand_new');
  });

  it('rejects non-objects', () => {
    expect(codes([1, 2])).toEqual(['not_an_object']);
    expect(codes(null)).toEqual(['not_an_object']);
    expect(codes('str')).toEqual(['not_an_object']);
  });
});
