// Chart geometry: stacked segments in a stable order, scaled to the tallest bar.
import { describe, expect, it } from 'vitest';
import { describeBucket, layoutHistogram, orderFacets, rebucket } from '../../ui/state/histogram.ts';
import type { Histogram } from '../../server/common/protocol.ts';

describe('layoutHistogram', () => {
  it('stacks segments bottom-up and scales to the peak', () => {
    const layout = layoutHistogram(
      { bucketMs: 60_000, buckets: [{ start: 0, counts: { other: 1, data_at_risk: 1 } }, { start: 60_000, counts: { other: 4 } }] },
      200,
      100,
      0,
    );
    expect(layout.max).toBe(4);
    expect(layout.total).toBe(6);
    expect(layout.facets).toEqual(['data_at_risk', 'other']);
    const [a, b] = layout.bars;
    expect(a!.x).toBe(0);
    expect(b!.x).toBe(100);
    expect(a!.segments).toEqual([
      { facet: 'data_at_risk', count: 1, y: 75, height: 25 },
      { facet: 'other', count: 1, y: 50, height: 25 },
    ]);
    expect(b!.segments).toEqual([{ facet: 'other', count: 4, y: 0, height: 100 }]);
  });

  it('handles no buckets', () => {
    expect(layoutHistogram({ bucketMs: 1000, buckets: [] }, 100, 10)).toMatchObject({ bars: [], max: 0, total: 0 });
  });

  it('orders known facets first, unknown next, none last', () => {
    expect(orderFacets(['(none)', 'zeta', 'other', 'data_at_risk', 'alpha'])).toEqual(['data_at_risk', 'other', 'alpha', 'zeta', '(none)']);
  });

  it('describes bucket widths', () => {
    expect([5000, 60_000, 300_000, 3_600_000, 86_400_000].map(describeBucket)).toEqual(['5 s', '1 min', '5 min', '1 h', '1 d']);
  });
});

describe('rebucket', () => {
  it('merges neighbours down to the bar limit and keeps every count', () => {
    const buckets = Array.from({ length: 1000 }, (_, i) => ({ start: i * 1000, counts: { other: 1, ...(i % 2 ? { data_at_risk: 2 } : {}) } }));
    const h = rebucket({ bucketMs: 1000, buckets }, 100);
    expect(h.buckets.length).toBeLessThanOrEqual(100);
    expect(h.bucketMs).toBe(10_000);
    const sum = (facet: string) => h.buckets.reduce((n, b) => n + (b.counts[facet] ?? 0), 0);
    expect(sum('other')).toBe(1000);
    expect(sum('data_at_risk')).toBe(1000);
  });
  it('leaves small histograms alone', () => {
    const h = { bucketMs: 1, buckets: [{ start: 0, counts: { other: 1 } }] };
    expect(rebucket(h, 10)).toBe(h);
  });
});

describe('facets named like Object properties', () => {
  it('are counted, merged and stacked as own keys', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    // JSON.parse makes "__proto__" an own key, as the API's answer does.
    const counts = (n: number) => JSON.parse(`{${names.map((k) => `"${k}":${n}`).join(',')}}`) as Record<string, number>;
    const h: Histogram = { bucketMs: 1000, buckets: Array.from({ length: 10 }, (_, i) => ({ start: i * 1000, counts: counts(i + 1) })) };
    const merged = rebucket(h, 2);
    for (const name of names) expect(merged.buckets.reduce((s, b) => s + (Object.hasOwn(b.counts, name) ? b.counts[name]! : 0), 0), name).toBe(55);
    const layout = layoutHistogram(merged, 100, 10);
    expect([...layout.facets].sort()).toEqual([...names].sort());
    expect(layout.total).toBe(4 * 55);
    // A facet missing from a bucket counts 0, not Object.prototype's member of that name.
    const sparse = layoutHistogram({ bucketMs: 1000, buckets: [{ start: 0, counts: { a: 2 } }, { start: 1000, counts: counts(1) }] }, 100, 10);
    expect(sparse.bars[0]!.segments.map((s) => [s.facet, s.count])).toEqual([['a', 2]]);
  });
});
