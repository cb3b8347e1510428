// REST API over real HTTP: filters and q, category forms grouped, cursor paging, facets,
// histogram, deletes, retention counts, and JSON errors for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, getJson, rawRequest } from '../helpers/http.ts';

let t: TestInspector;
const send = (event: Record<string, unknown>, path = '/') =>
  rawRequest(new URL(path, t.receiverUrl).href, {
    headers: [['Content-Type', 'application/json'], ['User-Agent', 'SoverenWebhook/1.0']],
    body: JSON.stringify(event),
  });
const list = (qs: string) => getJson(`${t.uiUrl}api/deliveries?${qs}`);

beforeAll(async () => {
  t = await startTestInspector();
  // Equivalent category forms, as current and older Soveren docs spell them.
  const forms = ['Data at risk', 'data_at_risk', 'Policy violation', 'policy_violations'];
  for (const [i, category] of forms.entries()) {
    await send({ title: `Data type Email is outside the allowed set of assets ${i}`, category, event_type: 'policy_violation', sensitivity: 'High' });
  }
  await send({ title: 'Bucket public', category: 'Misconfiguration', event_type: 'policy_public_s3_bucket', sensitivity: 'Medium', s3_bucket: 'acme-exports' }, '/hooks/a');
  await send({ title: 'New receiver', category: 'New data type', event_type: 'new_external_receiver', sensitivity: 'Low' }, '/hooks/b');
  await send({ title: 'Release', category: 'others', event_type: 'dim_release_update', sensitivity: 'Low' });
  await send({ title: 'Weird', category: 'Quantum', event_type: 'quantum_leak', sensitivity: 'Low' });
});
afterAll(() => t.close());

describe('listing', () => {
  it('returns newest first with a cursor', async () => {
    const first = await list('limit=3');
    expect(first.items.map((d: { id: number }) => d.id)).toEqual([8, 7, 6]);
    expect(first.next).toBe(6);
    const second = await list(`limit=3&before=${first.next}`);
    expect(second.items.map((d: { id: number }) => d.id)).toEqual([5, 4, 3]);
    const last = await list(`limit=3&before=3`);
    expect(last.items.map((d: { id: number }) => d.id)).toEqual([2, 1]);
    expect(last.next).toBeNull();
  });

  it('groups every category form: filtering by any form matches all of them', async () => {
    for (const form of ['data_at_risk', 'Data at risk', 'Policy violation', 'policy_violations']) {
      const page = await list(`category=${encodeURIComponent(form)}`);
      expect(page.items).toHaveLength(4);
      expect(new Set(page.items.map((d: { category: string }) => d.category))).toEqual(new Set(['Data at risk', 'data_at_risk', 'Policy violation', 'policy_violations']));
    }
    expect((await list('q=' + encodeURIComponent('category:"New data type"'))).items[0].eventType).toBe('new_external_receiver');
    expect((await list('category=infrastructure_updates')).items).toHaveLength(1);
    expect((await list('category=Quantum')).items[0].categoryFacet).toBe('Quantum');
  });

  it('filters by event_type, sensitivity, verdict, path and free text', async () => {
    expect((await list('event_type=policy_public_s3_bucket')).items[0].title).toBe('Bucket public');
    expect((await list('sensitivity=Low')).items).toHaveLength(3);
    expect((await list('q=sensitivity:low')).items).toHaveLength(3);
    expect((await list('verdict=unchecked')).items).toHaveLength(8);
    expect((await list('verdict=valid')).items).toHaveLength(0);
    expect((await list('path=/hooks/a')).items).toHaveLength(1);
    expect((await list('q=path:/hooks/*')).items).toHaveLength(2);
    expect((await list('q=acme')).items.map((d: { title: string }) => d.title)).toEqual(['Bucket public']);
    expect((await list('q=outside%20allowed')).items).toHaveLength(4);
  });

  it('supports negation and alternatives', async () => {
    expect((await list('q=' + encodeURIComponent('-category:data_at_risk'))).items).toHaveLength(4);
    expect((await list('q=' + encodeURIComponent('-sensitivity:Low -category:"Data at risk"'))).items).toHaveLength(1);
    expect((await list('q=' + encodeURIComponent('event_type:dim_release_update event_type:quantum_leak'))).items).toHaveLength(2);
    expect((await list('q=' + encodeURIComponent('-outside'))).items).toHaveLength(4);
  });

  it('answers bad parameters with a JSON 400, never a 500', async () => {
    for (const qs of ['limit=0', 'limit=abc', 'limit=100000', 'before=-1', 'before=1e9']) {
      const res = await fetch(`${t.uiUrl}api/deliveries?${qs}`);
      expect(res.status, qs).toBe(400);
      expect((await res.json()).error).toMatch(/limit|before/);
    }
    for (const q of ['"', 'category:', '-', 'NEAR(', 'a AND', '*', '"unterminated', ')(']) {
      const res = await fetch(`${t.uiUrl}api/deliveries?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
    expect((await fetch(`${t.uiUrl}api/deliveries/abc`)).status).toBe(400);
    expect((await fetch(`${t.uiUrl}api/deliveries/99999`)).status).toBe(404);
    expect((await fetch(`${t.uiUrl}api/nope`)).status).toBe(404);
  });
});

describe('facets and histogram', () => {
  it('counts per facet under the current filter', async () => {
    const all = await getJson(`${t.uiUrl}api/facets`);
    expect(all.total).toBe(8);
    expect(all.category).toContainEqual({ value: 'data_at_risk', count: 4 });
    expect(all.category).toContainEqual({ value: 'other', count: 1 });
    expect(all.category).toContainEqual({ value: 'Quantum', count: 1 });
    expect(all.signature).toEqual([{ value: 'unchecked', count: 8 }]);
    const low = await getJson(`${t.uiUrl}api/facets?sensitivity=Low`);
    expect(low.total).toBe(3);
    expect(low.category.map((c: { value: string }) => c.value).sort()).toEqual(['Quantum', 'infrastructure_updates', 'other']);
  });

  it('buckets deliveries over time by category', async () => {
    const h = await getJson(`${t.uiUrl}api/histogram`);
    const sum = h.buckets.reduce((n: number, b: { counts: Record<string, number> }) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
    expect(sum).toBe(8);
    expect(h.bucketMs).toBeGreaterThan(0);
  });
});

describe('curl', () => {
  it('reproduces the delivery', async () => {
    const text = await (await fetch(`${t.uiUrl}api/deliveries/5/curl`)).text();
    expect(text).toContain('-X POST');
    expect(text).toContain(`--request-target '/hooks/a'`);
    expect(text).toContain(`'${new URL(t.receiverUrl).origin}/'`);
    expect(text).toContain(`-H 'User-Agent: SoverenWebhook/1.0'`);
    expect(text).toContain('acme-exports');
  });
});

describe('deleting', () => {
  it('deletes one, by filter, and all; ids are never reused', async () => {
    const one = await apiRequest(t.uiUrl, '/api/deliveries/8', 'DELETE');
    expect(await one.json()).toEqual({ deleted: 1 });
    expect((await fetch(`${t.uiUrl}api/deliveries/8`)).status).toBe(404);
    const byFilter = await apiRequest(t.uiUrl, '/api/deliveries?category=data_at_risk', 'DELETE');
    expect(await byFilter.json()).toEqual({ deleted: 4 });
    expect((await list('')).items).toHaveLength(3);
    const all = await apiRequest(t.uiUrl, '/api/deliveries', 'DELETE');
    expect(await all.json()).toEqual({ deleted: 3 });
    const res = await send({ title: 'after clear' });
    expect(res.json().id).toBe(9);
    expect((await getJson(`${t.uiUrl}api/health`)).deliveries).toBe(1);
  });
});

describe('retention', () => {
  it('keeps the newest N and reports what it pruned', async () => {
    const small = await startTestInspector({ maxDeliveries: 5 });
    try {
      for (let i = 0; i < 12; i++) {
        await rawRequest(small.receiverUrl, { headers: [['Content-Type', 'application/json']], body: JSON.stringify({ title: `n${i}` }) });
      }
      const health = await getJson(`${small.uiUrl}api/health`);
      expect(health).toMatchObject({ deliveries: 5, pruned: 7, maxDeliveries: 5, lastId: 12 });
      const page = await getJson(`${small.uiUrl}api/deliveries`);
      expect(page.items.map((d: { title: string }) => d.title)).toEqual(['n11', 'n10', 'n9', 'n8', 'n7']);
      expect((await getJson(`${small.uiUrl}api/deliveries?q=n1`)).items.map((d: { title: string }) => d.title)).toEqual(['n11', 'n10']);
    } finally {
      await small.close();
    }
  });
});

describe('missing values', () => {
  it('filters by the "(none)" facet value and its negation', async () => {
    const x = await startTestInspector();
    try {
      const post = (body: string) => rawRequest(x.receiverUrl, { headers: [['Content-Type', 'application/json']], body });
      await post(JSON.stringify({ title: 'has', category: 'Other' }));
      await post('not json');
      await post(JSON.stringify({ title: 'no category' }));
      const facets = await getJson(`${x.uiUrl}api/facets`);
      expect(facets.category).toContainEqual({ value: '(none)', count: 2 });
      const none = await getJson(`${x.uiUrl}api/deliveries?q=${encodeURIComponent('category:(none)')}`);
      expect(none.items.map((d: { id: number }) => d.id)).toEqual([3, 2]);
      const some = await getJson(`${x.uiUrl}api/deliveries?q=${encodeURIComponent('-category:(none)')}`);
      expect(some.items.map((d: { id: number }) => d.id)).toEqual([1]);
    } finally {
      await x.close();
    }
  });

  it('buckets the histogram by whole intervals, not one bucket per row', async () => {
    const x = await startTestInspector();
    try {
      for (let i = 0; i < 30; i++) await rawRequest(x.receiverUrl, { body: `{"n":${i}}` });
      const h = await getJson(`${x.uiUrl}api/histogram`);
      expect(h.buckets.length).toBeLessThanOrEqual(2);
      for (const b of h.buckets) expect(b.start % h.bucketMs).toBe(0);
    } finally {
      await x.close();
    }
  });
});
