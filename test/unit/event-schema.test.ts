// The JSON Schemas of `soveren-inspector schema`, checked by an independent validator (ajv,
// draft 2020-12): the sender's 29 types and 1,000 seeded variants validate against their own
// schema and the envelope, no other type's; and the lint agrees with the schemas: for every
// rule both cover, a mutation fails the schema exactly when the lint reports a warning or error.
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildSchemaDocument, SCHEMA_DIALECT } from '../../server/soveren/schema.ts';
import { createEvent, type CategoryForm } from '../../server/soveren/events.ts';
import { lintEvent } from '../../server/soveren/lint.ts';
import { EVENT_TYPES, categoryOfEventType } from '../../server/common/catalog.ts';

const doc = buildSchemaDocument();
// strict: every keyword must be one ajv knows in 2020-12 (a typo would silently allow anything).
const ajv = new Ajv2020({ strict: true, allErrors: true });
const envelope = ajv.compile(doc.envelope);
const byType = new Map(Object.entries(doc.eventTypes).map(([t, s]) => [t, ajv.compile(s)]));
const FORMS: CategoryForm[] = ['display', 'slug', 'legacy'];

const serious = (e: unknown) => lintEvent(e).filter((f) => f.severity !== 'info').map((f) => f.code);
const schemaOk = (e: Record<string, unknown>) => {
  const own = byType.get(String(e.event_type));
  return envelope(e) && (own ? own(e) : true);
};

describe('event schemas (draft 2020-12)', () => {
  it('has one schema per documented type, pinning event_type with const, and one envelope', () => {
    expect(Object.keys(doc.eventTypes).sort()).toEqual([...EVENT_TYPES].sort());
    for (const [type, schema] of Object.entries(doc.eventTypes)) {
      expect(schema.$schema).toBe(SCHEMA_DIALECT);
      expect((schema.properties as Record<string, unknown>).event_type).toEqual({ const: type });
    }
    expect(doc.envelope.$schema).toBe(SCHEMA_DIALECT);
  });

  it("validates the sender's 29 types and 1,000 seeded variants, each against its own type only", () => {
    const now = new Date(Date.UTC(2026, 11, 3, 12));
    let n = 0;
    for (let i = 0; i < 1029; i++) {
      const type = EVENT_TYPES[i % EVENT_TYPES.length]!;
      const event = createEvent(type, { seed: 1 + Math.floor(i / 29), index: i, categoryForm: FORMS[i % 3]!, now }) as Record<string, unknown>;
      expect(envelope(event), `${type} #${i}: ${ajv.errorsText(envelope.errors)}`).toBe(true);
      const own = byType.get(type)!;
      expect(own(event), `${type} #${i}: ${ajv.errorsText(own.errors)}`).toBe(true);
      const other = byType.get(EVENT_TYPES[(i + 1) % EVENT_TYPES.length]!)!;
      expect(other(event)).toBe(false);
      expect(serious(event), `${type} #${i}`).toEqual([]);
      n++;
    }
    expect(n).toBe(1029);
  });

  it('agrees with the lint: a mutation fails the schema exactly when the lint warns or errs', () => {
    const mutations: [string, (e: Record<string, unknown>) => void, boolean][] = [
      // [what, change, does it break the contract?]
      ['sensitivity lowercase', (e) => (e.sensitivity = 'high'), true],
      ['sensitivity a number', (e) => (e.sensitivity = 3), true],
      ['time without zone', (e) => (e.time = '2026-12-03T10:00:00'), true],
      ['time a date only', (e) => (e.time = '2026-12-03'), true],
      ['time in words', (e) => (e.time = 'yesterday'), true],
      ['time hour 24', (e) => (e.time = '2026-12-03T24:00:00Z'), true],
      ['time epoch number', (e) => (e.time = 1733220000000), true],
      ['time with offset, no ms', (e) => (e.time = '2026-12-03T10:00:00+02:00'), false],
      ['data_types a string', (e) => (e.data_types = 'Email'), true],
      ['data_types with a number', (e) => (e.data_types = ['Email', 4]), true],
      ['event_triggered_by other', (e) => (e.event_triggered_by = 'both'), true],
      ['title missing', (e) => delete e.title, true],
      ['title a number', (e) => (e.title = 42), true],
      ['category missing', (e) => delete e.category, true],
      ['category of another type', (e) => (e.category = categoryOfEventType(String(e.event_type))!.facet === 'other' ? 'Data at risk' : 'Other'), true],
      ['category unknown', (e) => (e.category = 'Compliance'), true],
      ['category in slug form', (e) => (e.category = String(e.category).toLowerCase().replace(/ /g, '_')), false],
      ['event_type missing', (e) => delete e.event_type, true],
      ['an unknown field', (e) => (e.x_new_field = { nested: true }), false],
      ['no sensitivity at all', (e) => delete e.sensitivity, false],
    ];
    let compared = 0;
    for (const type of EVENT_TYPES) {
      for (const [what, change, breaks] of mutations) {
        const event = createEvent(type, { seed: 11, now: new Date(Date.UTC(2026, 11, 3)) }) as Record<string, unknown>;
        change(event);
        const lint = serious(event);
        expect(schemaOk(event), `${type}: ${what} (lint: ${lint.join(', ') || 'none'})`).toBe(!breaks);
        expect(lint.length > 0, `${type}: ${what}`).toBe(breaks);
        compared++;
      }
    }
    expect(compared).toBe(29 * mutations.length);
  });

  it('keeps the envelope forward compatible: an unknown type and category pass it, no type schema', () => {
    const event = { title: 'Retention exceeded', category: 'Compliance', event_type: 'policy_data_retention_exceeded', time: '2026-12-03T10:00:00.000Z' };
    expect(envelope(event)).toBe(true);
    expect([...byType.values()].some((v) => v(event))).toBe(false);
    expect(envelope([event])).toBe(false);
    expect(lintEvent([event]).map((f) => f.code)).toEqual(['not_an_object']);
  });
});
