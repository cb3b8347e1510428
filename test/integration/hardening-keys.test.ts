// Payload values that are also Object property names (`__proto__`, `constructor`, `toString`,
// `hasOwnProperty`) are counted like any other value by /api/facets and /api/histogram, and
// filter like any other value; a query word that looks like `constructor:x` is no field
// (issue 16, item 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, rawRequest } from '../helpers/http.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
let t: TestInspector;

beforeAll(async () => {
  t = await startTestInspector();
  for (const [i, name] of NAMES.entries()) {
    // i + 1 deliveries per name, so each count is distinct and a lost or merged key shows.
    for (let n = 0; n <= i; n++) {
      await rawRequest(new URL(`/${name}`, t.receiverUrl).href, {
        headers: [['Content-Type', 'application/json'], [name, `header named ${name}`]],
        body: JSON.stringify({ title: `t ${name}`, category: name, event_type: name, sensitivity: name }),
      });
    }
  }
});
afterAll(async () => { await t.close(); });

const countsOf = (list: { value: string; count: number }[]) => new Map(list.map((c) => [c.value, c.count]));

describe('property names as payload values', () => {
  it('are counted by /api/facets', async () => {
    const f = await getJson(`${t.uiUrl}api/facets`);
    expect(f.total).toBe(10);
    for (const [field, prefix] of [['category', ''], ['eventType', ''], ['sensitivity', ''], ['path', '/']] as const) {
      const counts = countsOf(f[field]);
      for (const [i, name] of NAMES.entries()) expect(counts.get(prefix + name), `${field} ${name}`).toBe(i + 1);
    }
  });

  it('are counted by /api/histogram as own keys', async () => {
    const h = JSON.parse(await (await fetch(`${t.uiUrl}api/histogram`)).text()) as { buckets: { counts: Record<string, number> }[] };
    const sums = new Map<string, number>();
    for (const b of h.buckets) {
      for (const [facet, n] of Object.entries(b.counts)) sums.set(facet, (sums.get(facet) ?? 0) + n);
    }
    expect(Object.fromEntries([...sums].sort())).toEqual(Object.fromEntries(NAMES.map((n, i) => [n, i + 1] as const).sort()));
  });

  it('filter like any other value, and keep their header names', async () => {
    for (const [i, name] of NAMES.entries()) {
      for (const q of [`category:${name}`, `event_type:${name}`, `sensitivity:${name}`, `path:/${name}`]) {
        const list = await getJson(`${t.uiUrl}api/deliveries?q=${encodeURIComponent(q)}`);
        expect(list.items.length, q).toBe(i + 1);
      }
      const h = await getJson(`${t.uiUrl}api/histogram?q=${encodeURIComponent(`category:${name}`)}`);
      expect(h.buckets.reduce((s: number, b: { counts: Record<string, number> }) => s + (Object.hasOwn(b.counts, name) ? b.counts[name]! : 0), 0)).toBe(i + 1);
    }
    const one = await getJson(`${t.uiUrl}api/deliveries?q=${encodeURIComponent('path:/__proto__')}`);
    const detail = await getJson(`${t.uiUrl}api/deliveries/${one.items[0].id}`);
    expect(detail.headers).toContainEqual(['__proto__', 'header named __proto__']);
  });

  it('a word shaped like `constructor:x` is text, not a field (no 500)', async () => {
    for (const [q, expected] of [['constructor:x', 0], ['__proto__:x', 0], ['toString:y', 0], ['-hasOwnProperty:z', 10]] as const) {
      const res = await fetch(`${t.uiUrl}api/deliveries?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect((await res.json()).items.length, q).toBe(expected);
    }
  });
});
