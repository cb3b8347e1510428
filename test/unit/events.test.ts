// The test-event factory: every documented type, its category in every form, determinism, type-specific fields.
import { describe, it, expect } from 'vitest';
import { CATEGORIES, EVENT_TYPES, categoryFacetOf, categoryOfEventType, KNOWN_FIELDS } from '../../server/common/catalog.ts';
import { createEvent, createEvents, serializeEvent } from '../../server/soveren/events.ts';

const now = new Date('2024-06-01T12:00:00.000Z');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('createEvent', () => {
  it('covers all 29 documented types with their documented category', () => {
    expect(EVENT_TYPES).toHaveLength(29);
    for (const type of EVENT_TYPES) {
      const event = createEvent(type, { seed: 7, now });
      expect(event.event_type).toBe(type);
      expect(categoryFacetOf(event.category ?? '')).toBe(categoryOfEventType(type)?.facet);
      expect(event.category).toBe(categoryOfEventType(type)?.display);
      expect(['High', 'Medium', 'Low']).toContain(event.sensitivity);
      expect(event.title).toMatch(/\S/);
      expect(event.event_link).toMatch(/^https:\/\/app\.soveren\.io\/events\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      if (event.data_types !== undefined) expect(event.data_types.length).toBeGreaterThan(0);
      // Only documented fields: the factory must not invent extras.
      for (const key of Object.keys(event)) expect(KNOWN_FIELDS).toContain(key);
    }
  });

  it('is deterministic for the same seed and varies with seed and index', () => {
    for (const type of EVENT_TYPES) {
      const a = serializeEvent(createEvent(type, { seed: 42, index: 3, now }));
      expect(serializeEvent(createEvent(type, { seed: 42, index: 3, now }))).toBe(a);
      expect(serializeEvent(createEvent(type, { seed: 43, index: 3, now }))).not.toBe(a);
      expect(serializeEvent(createEvent(type, { seed: 42, index: 4, now }))).not.toBe(a);
    }
  });

  it('dates events shortly before now as a JS ISO string', () => {
    for (const type of EVENT_TYPES) {
      const time = createEvent(type, { seed: 5, now }).time ?? '';
      expect(time).toMatch(ISO);
      expect(new Date(time).toISOString()).toBe(time);
      const ageMs = now.getTime() - Date.parse(time);
      expect(ageMs).toBeGreaterThan(0);
      expect(ageMs).toBeLessThanOrEqual(15 * 60_000);
    }
  });

  it('writes the category in slug and legacy forms that map back to the same facet', () => {
    for (const type of EVENT_TYPES) {
      const facet = categoryOfEventType(type)?.facet;
      const slug = createEvent(type, { categoryForm: 'slug', now }).category ?? '';
      const legacy = createEvent(type, { categoryForm: 'legacy', now }).category ?? '';
      expect(slug).toBe(facet);
      expect(categoryFacetOf(legacy)).toBe(facet);
    }
    expect(createEvent('policy_violation', { categoryForm: 'legacy' }).category).toBe('Policy violation');
    expect(createEvent('new_data_type', { categoryForm: 'legacy' }).category).toBe('New data type');
    expect(createEvent('new_external_receiver', { categoryForm: 'legacy' }).category).toBe('Data flow change');
    expect(createEvent('policy_public_s3_bucket', { categoryForm: 'legacy' }).category).toBe('Misconfiguration');
  });

  it('uses the documented title templates', () => {
    const share = createEvent('3rd_party_policy_violation', { seed: 1, now });
    expect(share.title).toBe(`Service ${share.sending?.name} is sharing ${share.data_types?.[0]} with third parties`);
    expect(createEvent('anomaly_detected').title).toBe('Anomaly detected');
    expect(createEvent('excessive_db_access').title).toBe('Excessive database access detected');
    expect(createEvent('custom_asset_rule_conflict').title).toBe('Conflict in rules for custom external connections');
    const dar = createEvent('policy_violation_dar', { seed: 2 });
    expect(dar.title).toBe(`Data type ${dar.data_types?.[0]} is outside the allowed set of data stores`);
    const titles = new Set(Array.from({ length: 40 }, (_, index) => createEvent('policy_violation', { index, now }).title));
    expect([...titles].some((t) => /^Data type .+ is outside the allowed set of assets$/.test(t ?? ''))).toBe(true);
    expect(titles.has('Data type in API URL path detected')).toBe(true);
  });

  it('carries the fields each type has in reality', () => {
    const third = createEvent('3rd_party_policy_violation', { seed: 3, now });
    expect(third.third_party_ip).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
    expect(third.user_agent).toMatch(/\S/);
    expect(third.policy).toEqual({ link: expect.stringMatching(/^https:\/\//), name: expect.any(String) });
    expect(third.endpoint?.hostname).toBe(third.receiving?.name);
    expect(third.endpoint?.url).toBe(`https://${third.endpoint?.hostname}${new URL(third.endpoint?.url ?? '').pathname}`);
    expect(third.sending?.groups?.[0]).toEqual({ link: expect.any(String), name: expect.any(String) });

    const bucket = createEvent('policy_public_s3_bucket', { seed: 3, now });
    expect(bucket.s3_bucket).toMatch(/^[a-z0-9-]+$/);
    expect(bucket.object_type).toBeTruthy();
    expect(bucket.entity_name).toBeTruthy();
    expect(bucket.data_types?.length).toBeGreaterThan(0);
    expect(createEvent('policy_unencrypted_s3_bucket').s3_bucket).toBeTruthy();

    expect(createEvent('dim_release_update').release_notes_link).toMatch(/^https:\/\//);
    expect(createEvent('dar_release_update_critical').sensitivity).toBe('High');

    const conflict = createEvent('custom_asset_rule_conflict');
    expect(conflict.conflicting_assets?.length).toBeGreaterThanOrEqual(2);

    const rds = createEvent('policy_unencrypted_rds');
    expect(rds.database_type).toMatch(/PostgreSQL|MySQL/);
    expect(rds.database_name).toBeTruthy();
    expect(rds.object_type).toBe('rds_instance');

    const network = createEvent('policy_unencrypted_network');
    expect(network.scheme).toBe('http');
    expect(network.endpoint?.url).toMatch(/^http:\/\//);

    for (let index = 0; index < 20; index++) {
      const store = createEvent('started_storing_data', { index });
      const where = [store.table, store.collection, store.topic].filter(Boolean);
      expect(where).toHaveLength(1);
      expect(store.database_type).toBeTruthy();
    }
  });

  it('still produces a valid event for an unknown type', () => {
    const event = createEvent('future_type_v9', { now });
    expect(event.event_type).toBe('future_type_v9');
    expect(event.category).toBe('Other');
    expect(createEvent('future_type_v9', { categoryForm: 'slug' }).category).toBe('other');
    expect(event.title).toContain('future_type_v9');
    expect(event.time).toMatch(ISO);
    expect(event.sensitivity).toBe('Low');
    expect(JSON.parse(serializeEvent(event))).toEqual(event);
  });
});

describe('createEvents', () => {
  it('with all and count 2 yields every type twice, 58 events', () => {
    const events = createEvents({ all: true, count: 2, seed: 9, now });
    expect(events).toHaveLength(58);
    for (const type of EVENT_TYPES) expect(events.filter((e) => e.event_type === type)).toHaveLength(2);
    expect(new Set(events.map((e) => e.event_link)).size).toBe(58);
  });

  it('selects a category in any naming form, and only its types', () => {
    for (const info of CATEGORIES) {
      for (const form of [info.display, info.facet, ...info.aliases]) {
        const events = createEvents({ category: form, now });
        expect(events.map((e) => e.event_type).sort()).toEqual([...info.eventTypes].sort());
      }
    }
    const legacy = createEvents({ category: 'Policy violation', count: 3, now });
    expect(legacy).toHaveLength(15);
    expect(legacy.every((e) => categoryFacetOf(e.category ?? '') === 'data_at_risk')).toBe(true);
  });

  it('honours types, seed and categoryForm, and rejects bad input', () => {
    const a = createEvents({ types: ['new_data_type', 'anomaly_detected'], count: 2, seed: 4, categoryForm: 'slug', now });
    expect(a.map((e) => e.event_type)).toEqual(['new_data_type', 'anomaly_detected', 'new_data_type', 'anomaly_detected']);
    expect(a.map((e) => e.category)).toEqual(['infrastructure_updates', 'data_at_risk', 'infrastructure_updates', 'data_at_risk']);
    expect(createEvents({ types: ['new_data_type'], seed: 4, now })).toEqual(createEvents({ types: ['new_data_type'], seed: 4, now }));
    expect(createEvents({ types: ['new_data_type'], seed: 4, now })).not.toEqual(createEvents({ types: ['new_data_type'], seed: 5, now }));
    expect(() => createEvents({})).toThrow();
    expect(() => createEvents({ category: 'no such category' })).toThrow(/unknown category/);
    expect(() => createEvents({ all: true, count: 0 })).toThrow(RangeError);
  });
});

describe('serializeEvent', () => {
  it('is compact JSON that round-trips', () => {
    const event = createEvent('3rd_party_policy_violation', { seed: 1, now });
    const text = serializeEvent(event);
    expect(text).not.toMatch(/\n|": /);
    expect(text.startsWith('{"title":')).toBe(true);
    expect(JSON.parse(text)).toEqual(event);
  });
});
