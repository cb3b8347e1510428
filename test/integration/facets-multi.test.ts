// Multi-select facets: a field the filter picks values of keeps its other values counted
// (so a second can be ticked), the total stays under the whole filter, exclusions still
// apply, and the same holds whether counts come from delivery_counts or from the rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';

const dir = mkdtempSync(join(tmpdir(), 'si-facets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('multi-select facets', () => {
  const db = openDatabase(join(dir, 'x.db'));
  const store = createDeliveryStore(db, { maxDeliveries: 1000 });
  const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
  const events = [
    ['Data at risk', 'policy_violation', 'High', 'alpha'],
    ['Data at risk', 'policy_violation', 'Low', 'alpha'],
    ['Data at risk', 'sensitive_data', 'High', 'beta'],
    ['Misconfiguration', 'public_bucket', 'High', 'alpha'],
    ['Other', 'discovery_complete', 'Low', 'gamma'],
  ] as const;
  store.insertBatch(events.map(([category, eventType, sensitivity, word], i) => analyzeRequest({
    receivedAt: Date.now() + i, method: 'POST', url: '/', remoteAddress: null, rawHeaders: [],
    body: Buffer.from(JSON.stringify({ title: `${word} ${i}`, category, event_type: eventType, sensitivity })),
  }, policy)));
  const counts = (list: { value: string; count: number }[]) => Object.fromEntries(list.map((c) => [c.value, c.count]));

  it('counts a picked field without its own pick, and every other field under the whole filter', () => {
    for (const text of ['', 'alpha ']) { // counts table, then rows (free text)
      const one = store.facets(parseQuery(`${text}category:data_at_risk`));
      const n = text ? 3 : 5; // all alpha deliveries, or all five
      expect(one.total, text).toBe(text ? 2 : 3);
      // Every category still shows, with what ticking it would add.
      expect(counts(one.category), text).toEqual(text ? { data_at_risk: 2, misconfiguration: 1 } : { data_at_risk: 3, misconfiguration: 1, other: 1 });
      expect(Object.values(counts(one.category)).reduce((a, b) => a + b), text).toBe(n);
      // Event types are counted under the category pick.
      expect(counts(one.eventType), text).toEqual(text ? { policy_violation: 2 } : { policy_violation: 2, sensitive_data: 1 });
      const two = store.facets(parseQuery(`${text}category:data_at_risk category:misconfiguration`));
      expect(two.total, text).toBe(text ? 3 : 4);
      expect(counts(two.eventType), text).toEqual(text ? { policy_violation: 2, public_bucket: 1 } : { policy_violation: 2, sensitive_data: 1, public_bucket: 1 });
    }
  });

  it('keeps exclusions on their own field and applies picks of other fields', () => {
    const f = store.facets(parseQuery('-category:other sensitivity:High'));
    expect(f.total).toBe(3);
    expect(counts(f.category)).toEqual({ data_at_risk: 2, misconfiguration: 1 });
    expect(counts(f.sensitivity)).toEqual({ High: 3, Low: 1 });
  });
});
