// The event-type reference over HTTP (GET /api/event-types) and `soveren-inspector schema`
// from the real CLI: 29 types with category, description, title templates, fields with
// types and examples; the schema document is JSON that ajv compiles and that matches events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { EventTypeReference } from '../../server/common/protocol.ts';
import { CATEGORIES, EVENT_TYPES } from '../../server/common/catalog.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';

let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector();
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/event-types', () => {
  it('describes each of the 29 types: category, description, title templates, fields and an example', async () => {
    const res = await fetch(new URL('/api/event-types', t.uiUrl));
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: EventTypeReference[] };
    expect(items.map((i) => i.eventType)).toEqual([...EVENT_TYPES]);
    for (const item of items) {
      expect(CATEGORIES.find((c) => c.facet === item.category)!.eventTypes).toContain(item.eventType);
      expect(item.description.length).toBeGreaterThan(10);
      expect(item.titleTemplates.length).toBeGreaterThan(0);
      expect(item.example.event_type).toBe(item.eventType);
      const names = item.fields.map((f) => f.name);
      for (const core of ['title', 'time', 'event_link', 'category', 'event_type', 'sensitivity']) expect(names, item.eventType).toContain(core);
      for (const f of item.fields) expect(f.example, `${item.eventType}.${f.name}`).not.toBeUndefined();
    }
    const anomaly = items.find((i) => i.eventType === 'anomaly_detected')!;
    expect(anomaly).toMatchObject({ categoryLabel: 'Data at risk', titleTemplates: ['Anomaly detected'], templateDocumented: true });
    expect(anomaly.fields.find((f) => f.name === 'data_types')).toMatchObject({ type: 'string[]', always: true });
    expect(anomaly.fields.find((f) => f.name === 'sending')).toMatchObject({ type: 'object' });
    const s3 = items.find((i) => i.eventType === 'policy_public_s3_bucket')!;
    expect(s3.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['s3_bucket', 'object_type', 'entity_name']));
  });
});

describe('soveren-inspector schema', () => {
  it('prints one JSON document of 2020-12 schemas that a validator compiles and events match', async () => {
    const out = await runCli(['schema']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as { envelope: object; eventTypes: Record<string, object> };
    const ajv = new Ajv2020({ strict: true });
    const { items } = (await (await fetch(new URL('/api/event-types', t.uiUrl))).json()) as { items: EventTypeReference[] };
    for (const item of items) {
      expect(ajv.compile(doc.eventTypes[item.eventType]!)(item.example), item.eventType).toBe(true);
    }
    expect(ajv.compile(doc.envelope)({ title: 'x', category: 'New', event_type: 'brand_new' })).toBe(true);
    const bad = await runCli(['schema', 'extra']);
    expect(bad.code).toBe(2);
  });
});
