// ECS 9.4: every emitted leaf is an ECS field of the right type (per @elastic/ecs's field
// table) or lies under soveren.*; event.kind/category/type take allowed values in allowed
// pairs; the field rules hold; nothing is lost.
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EcsFlat, EcsVersion } from '@elastic/ecs';
import { CATEGORIES, EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvent, type CategoryForm } from '../../server/soveren/events.ts';
import { mapDelivery, type SiemMapping } from '../../server/siem/index.ts';
import { expectNothingLost, RECEIVED_AT, sourceOf, valueAt } from '../helpers/siem.ts';

const now = new Date('2024-06-01T12:00:00.000Z');
type Field = { type: string; allowed_values?: { name: string; expected_event_types?: string[] }[] };
const fields = EcsFlat as unknown as Record<string, Field>;
const STRING_TYPES = new Set(['keyword', 'wildcard', 'match_only_text', 'text', 'constant_keyword']);

function ecs(event: unknown): SiemMapping & { output: Record<string, any> } {
  const result = mapDelivery('ecs', sourceOf(event));
  if (!result.ok) throw new Error(result.reason);
  return result.mapping as SiemMapping & { output: Record<string, any> };
}

/** [dotted path, value] for every leaf; arrays of scalars are one leaf, as ECS fields take them. */
function leaves(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v as Record<string, unknown>, path) : [[path, v] as [string, unknown]];
  });
}

/** Problems with one ECS document: unknown fields, wrong types, disallowed values or pairs. */
function checkEcs(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [path, value] of leaves(doc)) {
    if (path.startsWith('soveren.')) continue;
    const field = fields[path];
    if (!field) {
      problems.push(`${path} is not an ECS field`);
      continue;
    }
    for (const v of Array.isArray(value) ? value : [value]) {
      const ok = STRING_TYPES.has(field.type) ? typeof v === 'string'
        : field.type === 'long' ? Number.isSafeInteger(v)
        : field.type === 'float' || field.type === 'scaled_float' ? typeof v === 'number'
        : field.type === 'date' ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
        : field.type === 'ip' ? typeof v === 'string' && isIP(v) !== 0
        : field.type === 'boolean' ? typeof v === 'boolean'
        : false;
      if (!ok) problems.push(`${path} = ${JSON.stringify(v)} is not of ECS type ${field.type}`);
      if (field.allowed_values && !field.allowed_values.some((a) => a.name === v)) problems.push(`${path} = ${String(v)} is not an allowed value`);
    }
  }
  const event = (doc.event ?? {}) as { category?: string[]; type?: string[] };
  for (const category of event.category ?? []) {
    const expected = fields['event.category']!.allowed_values!.find((a) => a.name === category)?.expected_event_types ?? [];
    for (const type of event.type ?? []) if (!expected.includes(type)) problems.push(`event.type ${type} is not expected with event.category ${category}`);
  }
  return problems;
}

describe('ECS mapping of all 29 event types', () => {
  it('targets the ECS version that @elastic/ecs describes', () => {
    for (const type of EVENT_TYPES) expect(ecs(createEvent(type, { now })).output.ecs.version).toBe(EcsVersion);
  });

  for (const type of EVENT_TYPES) {
    it(`${type}: only ECS fields of the right type or soveren.*, allowed values, the issue's rules`, () => {
      for (const [seed, form] of [[1, 'display'], [2, 'slug'], [3, 'legacy']] as [number, CategoryForm][]) {
        const event = createEvent(type, { seed, now, categoryForm: form });
        const m = ecs(event);
        const doc = m.output;
        expect(checkEcs(doc)).toEqual([]);
        const facet = CATEGORIES.find((c) => c.eventTypes.includes(type))!.facet;
        expect(doc.event.kind).toBe(facet === 'data_at_risk' || facet === 'misconfiguration' ? 'alert' : 'event');
        expect(doc.event.category.length).toBeGreaterThan(0);
        expect(doc['@timestamp']).toBe(event.time);
        expect(doc.message).toBe(event.title);
        expect(doc.event).toMatchObject({
          action: type, url: event.event_link, id: event.event_link!.split('/events/')[1],
          original: JSON.stringify(event), module: 'soveren', dataset: 'soveren.event',
          severity: { High: 4, Medium: 3, Low: 2 }[event.sensitivity!],
        });
        expect(doc.observer).toEqual({ vendor: 'Soveren', product: 'Soveren' });
        if (event.policy) expect(doc.rule).toEqual({ name: event.policy.name, reference: event.policy.link });
        if (event.sending) expect(doc.service.origin.name).toBe(event.sending.name);
        if (event.receiving) expect(doc.service.target.name).toBe(event.receiving.name);
        if (event.endpoint) {
          expect(doc.url.full).toBe(event.endpoint.url);
          expect(doc.url.domain).toBe(event.endpoint.hostname);
          expect(doc.http.request.method).toBe(event.endpoint.method);
        }
        if (event.third_party_ip) expect(doc.destination.ip).toBe(event.third_party_ip);
        expect(doc.soveren.category).toBe(event.category);
        for (const f of m.fields) expect(valueAt(doc, f.target), f.target).toEqual(f.value);
        expectNothingLost(event, m);
      }
    });
  }

  it('keeps what ECS has no field for under soveren.*, as nested in the event', () => {
    const event = { ...createEvent('policy_violation_dar', { seed: 2, now }), extra: { a: [1, { b: 'c' }] } };
    const { output, unmapped } = ecs(event);
    expect(output.soveren).toMatchObject({ extra: { a: [1, { b: 'c' }] }, data_types: event.data_types, sensitivity: event.sensitivity });
    expect(unmapped.map((u) => u.source)).toContain('extra');
  });

  it('edge cases stay valid ECS: no time, odd severity, non-ASCII, invalid IP, an empty event', () => {
    const base = createEvent('3rd_party_policy_violation', { seed: 3, now });
    const { time: _, ...noTime } = base;
    expect(ecs(noTime).output['@timestamp']).toBe(RECEIVED_AT);
    expect(ecs({ ...base, sensitivity: 'Critical' }).output.event.severity).toBeUndefined();
    expect(ecs({ ...base, sensitivity: 'Critical' }).output.soveren.sensitivity).toBe('Critical');
    const title = 'Données 🔒 在 עברית';
    expect(ecs({ ...base, title }).output.message).toBe(title);
    expect(ecs({ ...base, third_party_ip: '1.2.3' }).output.destination).toBeUndefined();
    for (const event of [noTime, { ...base, sensitivity: 'Critical' }, { ...base, third_party_ip: '1.2.3' }, {}, { event_type: 'brand_new_type' }]) {
      expect(checkEcs(ecs(event).output)).toEqual([]);
      expectNothingLost(event, ecs(event));
    }
  });

  it('the checker itself rejects a wrong type, an unknown field, a disallowed value and a disallowed pair', () => {
    const doc = ecs(createEvent('anomaly_detected', { seed: 1, now })).output;
    const mutate = (f: (d: Record<string, any>) => void) => {
      const d = JSON.parse(JSON.stringify(doc));
      f(d);
      return checkEcs(d);
    };
    expect(mutate((d) => { d.event.severity = 'High'; })).toContain('event.severity = "High" is not of ECS type long');
    expect(mutate((d) => { d.sensitivity = 'High'; })).toContain('sensitivity is not an ECS field');
    expect(mutate((d) => { d.event.kind = 'finding'; })).toContain('event.kind = finding is not an allowed value');
    expect(mutate((d) => { d.event.category = ['authentication']; d.event.type = ['access']; }))
      .toContain('event.type access is not expected with event.category authentication');
    expect(mutate((d) => { d.destination = { ip: 'nope' }; })).toContain('destination.ip = "nope" is not of ECS type ip');
  });
});
