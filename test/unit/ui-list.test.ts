// The loaded list: pages and live arrivals merge newest-first without duplicates.
import { describe, expect, it } from 'vitest';
import type { DeliverySummary } from '../../server/common/protocol.ts';
import { addLive, appendPage, indexOfId, listFromPage, newestId, removeIds, trimList } from '../../ui/state/list.ts';

function d(id: number): DeliverySummary {
  return {
    id, receivedAt: new Date(1_700_000_000_000 + id).toISOString(), method: 'POST', path: '/', category: null,
    categoryFacet: null, eventType: null, sensitivity: null, title: `t${id}`, signature: 'unchecked', userAgent: 'ok',
    size: 1, status: 200, bodyKind: 'json', refused: null, findingCount: 0, duplicateOf: null,  replay: null, forward: null,
  };
}
const ids = (items: readonly DeliverySummary[]) => items.map((x) => x.id);

describe('list state', () => {
  it('appends older pages and drops overlap', () => {
    const list = listFromPage({ items: [d(10), d(9), d(8)], next: 8 });
    const more = appendPage(list, { items: [d(8), d(7), d(6)], next: null });
    expect(ids(more.items)).toEqual([10, 9, 8, 7, 6]);
    expect(more.next).toBeNull();
  });

  it('prepends live arrivals in order and ignores repeats', () => {
    let list = listFromPage({ items: [d(5), d(4)], next: null });
    list = addLive(list, [d(6), d(7)]);
    list = addLive(list, [d(7), d(8)]);
    expect(ids(list.items)).toEqual([8, 7, 6, 5, 4]);
    expect(newestId(list)).toBe(8);
  });

  it('merges a live delivery that is older than the head (reconnect overlap)', () => {
    const list = addLive(listFromPage({ items: [d(9), d(7), d(5)], next: null }), [d(8), d(6), d(9)]);
    expect(ids(list.items)).toEqual([9, 8, 7, 6, 5]);
  });

  it('leaves deliveries older than the loaded tail to paging', () => {
    const list = addLive(listFromPage({ items: [d(9), d(8)], next: 8 }), [d(3), d(10)]);
    expect(ids(list.items)).toEqual([10, 9, 8]);
  });

  it('returns the same object when nothing changes', () => {
    const list = listFromPage({ items: [d(2)], next: null });
    expect(addLive(list, [])).toBe(list);
    expect(addLive(list, [d(2)]).items.map((x) => x.id)).toEqual([2]);
    expect(removeIds(list, [99])).toBe(list);
  });

  it('removes ids and clears all', () => {
    const list = listFromPage({ items: [d(3), d(2), d(1)], next: null });
    expect(ids(removeIds(list, [2]).items)).toEqual([3, 1]);
    expect(removeIds(list, 'all').items).toEqual([]);
  });

  it('trims the tail into a cursor', () => {
    const list = trimList(listFromPage({ items: [d(5), d(4), d(3), d(2)], next: null }), 2);
    expect(ids(list.items)).toEqual([5, 4]);
    expect(list.next).toBe(4);
  });

  it('finds ids by binary search', () => {
    const items = [d(50), d(40), d(30), d(20), d(10)];
    expect(items.map((x) => indexOfId(items, x.id))).toEqual([0, 1, 2, 3, 4]);
    expect(indexOfId(items, 35)).toBe(-1);
    expect(indexOfId([], 1)).toBe(-1);
  });
});
