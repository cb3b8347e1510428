// The published contract: GET /api/openapi.json is a valid OpenAPI 3.1 document (checked by
// an independent validator, @readme/openapi-parser), lists every /api route the running app
// registers, describes the stream's messages and the receiver's webhook, and is what
// `soveren-inspector openapi` prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate, compileErrors } from '@readme/openapi-parser';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';

let t: TestInspector;
let doc: any;
beforeAll(async () => {
  t = await startTestInspector();
  const res = await fetch(new URL('/api/openapi.json', t.uiUrl));
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(() => t.close());

/** Hono's `/api/deliveries/:id` as OpenAPI's `/api/deliveries/{id}`. */
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() mutates what it is given; hand it a copy.
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result.valid).toBe(true);
  });

  it('lists every /api route the app registers, with its method', () => {
    const registered = t.inspector.uiApp.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`);
    expect(registered.length).toBeGreaterThan(20);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    for (const route of new Set(registered)) expect(documented, route).toContain(route);
  });

  it('gives every route its answers, and every body and query a schema', () => {
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(ops)) {
        const answers = Object.keys(op.responses ?? {});
        expect(answers.some((s) => /^(2\d\d|101)$/.test(s)), `${method} ${path}`).toBe(true);
        if (path !== '/api/stream') expect(answers, `${method} ${path}`).toContain('400');
        if (method === 'post' && op.requestBody) expect(op.requestBody.content['application/json'].schema, `${method} ${path}`).toBeDefined();
      }
    }
    const replay = doc.paths['/api/deliveries/{id}/replay'].post;
    expect(replay.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true })]));
    expect(doc.components.schemas.ReplayRequest).toMatchObject({ type: 'object', required: ['target'], additionalProperties: false });
    expect(doc.components.schemas.ApiError.properties.issues.items.properties).toHaveProperty('path');
  });

  it('describes the stream messages and the receiver webhook', () => {
    const variants = doc.components.schemas.StreamMessage.oneOf.map((v: any) => v.properties.type.enum[0]);
    expect(variants).toEqual(['hello', 'delivery', 'live', 'deleted', 'attempt', 'heartbeat', 'resync', 'job', 'check-run', 'check', 'output', 'outputs-deleted']);
    expect(doc.paths['/api/stream'].get.responses['101'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StreamMessage' });
    const hook = doc.webhooks.soverenDelivery.post;
    expect(hook.parameters.map((p: any) => `${p.in} ${p.name}`)).toEqual(expect.arrayContaining(['header user-agent', 'header x-soveren-signature', 'header content-type']));
    expect(hook.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SoverenEvent' });
    expect(Object.keys(hook.responses)).toEqual(['200', '401', '403', '413']);
  });

  it('is what `soveren-inspector openapi` prints', async () => {
    const r = await runCli(['openapi']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(doc);
  });
});
