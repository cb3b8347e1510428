// The contract describes what the server really answers: the read routes' JSON, after the
// built-in sender has filled the store with all 29 event types, validates against the
// response schema that GET /api/openapi.json documents for it (Ajv, JSON Schema 2020-12, the
// dialect of OpenAPI 3.1). A schema left loose (`{}`) would let any answer through, so the
// test also refuses documented answers that constrain nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, getJson } from '../helpers/http.ts';

let t: TestInspector;
let doc: any;
let firstId: number;
beforeAll(async () => {
  t = await startTestInspector();
  doc = await getJson(new URL('/api/openapi.json', t.uiUrl).href);
  const sent = await apiRequest(t.uiUrl, '/api/send', 'POST', { all: true });
  expect(sent.status).toBe(200);
  const page = await getJson(new URL('/api/deliveries?limit=50', t.uiUrl).href);
  expect(page.items).toHaveLength(29);
  firstId = page.items.at(-1).id;
});
afterAll(() => t.close());

/** Validates `value` against the 200 answer documented for GET `path`, refs resolved in the document. */
function checkAnswer(path: string, value: unknown): void {
  const schema = doc.paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema;
  expect(schema, `GET ${path} documents a JSON answer`).toBeDefined();
  const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split('/').at(-1)] : schema;
  expect(Object.keys(resolved ?? {}).length, `GET ${path}: the answer's schema constrains something`).toBeGreaterThan(0);
  expect(resolved.type === 'object' || Array.isArray(resolved.oneOf) || Array.isArray(resolved.anyOf), `GET ${path}: typed answer`).toBe(true);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile({ ...schema, components: doc.components });
  const ok = validate(value);
  expect(ok ? [] : validate.errors!.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`), `GET ${path}`).toEqual([]);
}

describe('what the read routes answer matches the published contract', () => {
  const routes: [string, () => string][] = [
    ['/api/health', () => '/api/health'],
    ['/api/deliveries', () => '/api/deliveries?limit=50'],
    ['/api/deliveries/{id}', () => `/api/deliveries/${firstId}`],
    ['/api/deliveries/{id}/siem/{format}', () => `/api/deliveries/${firstId}/siem/ocsf`],
    ['/api/deliveries/{id}/signature', () => `/api/deliveries/${firstId}/signature`],
    ['/api/facets', () => '/api/facets'],
    ['/api/histogram', () => '/api/histogram'],
    ['/api/forwarding', () => '/api/forwarding'],
    ['/api/checks/scenarios', () => '/api/checks/scenarios'],
    ['/api/outputs', () => '/api/outputs'],
    ['/api/coverage', () => '/api/coverage'],
    ['/api/event-types', () => '/api/event-types'],
  ];
  for (const [documented, url] of routes) {
    it(`GET ${documented}`, async () => {
      checkAnswer(documented, await getJson(new URL(url(), t.uiUrl).href));
    });
  }

  it('the coverage and event-type schemas are detailed, not `unknown`', () => {
    const s = doc.components.schemas;
    expect(s.Coverage.required).toEqual(expect.arrayContaining(['targets', 'lastCheck', 'sinks', 'categories']));
    expect(s.CoverageRow.properties.check).toBeDefined();
    expect(s.EventTypeReference.properties.fields.type).toBe('array');
    // The validator is not a rubber stamp: a coverage row with a count as text is refused.
    const coverage = { targets: [], lastCheck: null, sinks: [], categories: [{ facet: 'x', label: 'x', rows: [{ eventType: 'x' }] }] };
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate({ $ref: '#/components/schemas/Coverage', components: doc.components }, coverage)).toBe(false);
  });
});
