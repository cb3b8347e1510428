// Live arrivals counted into the figures already shown: header total, facets, chart, health.
import { describe, expect, it } from 'vitest';
import type { DeliverySummary, Facets, Health } from '../../server/common/protocol.ts';
import { addToFacets, addToHealth, addToHistogram } from '../../ui/state/live-counts.ts';

function summary(id: number, over: Partial<DeliverySummary> = {}): DeliverySummary {
  return {
    id, receivedAt: '2026-12-03T10:00:30.000Z', method: 'POST', path: '/', category: 'Other', categoryFacet: 'other',
    eventType: 'discovery_complete', sensitivity: null, title: 't', signature: 'valid', userAgent: 'ok', size: 10,
    status: 200, bodyKind: 'json', refused: null, findingCount: 0, duplicateOf: null, replay: null, forward: null, ...over,
  };
}

const FACETS: Facets = {
  total: 3,
  category: [{ value: 'data_at_risk', count: 2 }, { value: 'other', count: 1 }],
  eventType: [{ value: 'policy_violation', count: 3 }],
  sensitivity: [{ value: '(none)', count: 3 }],
  signature: [{ value: 'valid', count: 3 }],
  userAgent: [{ value: 'ok', count: 3 }],
  path: [{ value: '/', count: 3 }],
};

describe('live counts', () => {
  it('adds a batch to the total and every facet, new values included, most first', () => {
    const next = addToFacets(FACETS, [summary(4), summary(5), summary(6, { eventType: '__proto__' })]);
    expect(next.total).toBe(6);
    expect(next.category).toEqual([{ value: 'other', count: 4 }, { value: 'data_at_risk', count: 2 }]);
    expect(next.eventType).toEqual([{ value: 'policy_violation', count: 3 }, { value: 'discovery_complete', count: 2 }, { value: '__proto__', count: 1 }]);
    expect(next.sensitivity).toEqual([{ value: '(none)', count: 6 }]);
    expect(FACETS.total).toBe(3); // the old object is left alone
  });

  it('adds to the right bucket, appending new ones in time order, and keeps the old chart', () => {
    const start = Date.parse('2026-12-03T10:00:00.000Z');
    const before = { bucketMs: 60_000, buckets: [{ start, counts: Object.assign(Object.create(null), { other: 1 }) as Record<string, number> }] };
    const next = addToHistogram(before, [summary(2), summary(3, { receivedAt: '2026-12-03T10:02:05.000Z', categoryFacet: null })]);
    expect(next.buckets.map((b) => [b.start - start, { ...b.counts }])).toEqual([[0, { other: 2 }], [120_000, { '(none)': 1 }]]);
    expect(before.buckets[0]!.counts['other']).toBe(1);
  });

  it('adds to the stored count and the newest id', () => {
    const health = { deliveries: 10, lastId: 10 } as Health;
    expect(addToHealth(health, [summary(11), summary(12)])).toMatchObject({ deliveries: 12, lastId: 12 });
  });
});
