// The loaded slice of the delivery list: newest first, unique by id, with the cursor for
// the next (older) page. Pure functions returning new values; the stream and paging both
// feed it, so overlaps between them are expected and dropped here.
import type { Attempt, DeliveryPage, DeliverySummary, LatestOutcome } from '../../server/common/protocol.ts';

export interface ListState {
  /** Sorted by id, descending. */
  items: readonly DeliverySummary[];
  /** `before` cursor for the next older page; null when the end is loaded. */
  next: number | null;
}

export const EMPTY_LIST: ListState = { items: [], next: null };

function sortDescending(items: DeliverySummary[]): DeliverySummary[] {
  return items.sort((a, b) => b.id - a.id);
}

/** Merge two id-descending lists, dropping duplicates (the newer copy wins). */
function mergeDescending(
  newer: readonly DeliverySummary[],
  older: readonly DeliverySummary[],
): DeliverySummary[] {
  const out: DeliverySummary[] = [];
  let i = 0;
  let j = 0;
  while (i < newer.length || j < older.length) {
    const a = newer[i];
    const b = older[j];
    if (b === undefined || (a !== undefined && a.id >= b.id)) {
      if (a!.id === b?.id) j++;
      if (out.length === 0 || out[out.length - 1]!.id !== a!.id) out.push(a!);
      i++;
    } else {
      if (out.length === 0 || out[out.length - 1]!.id !== b.id) out.push(b);
      j++;
    }
  }
  return out;
}

export function listFromPage(page: DeliveryPage): ListState {
  return { items: mergeDescending(sortDescending([...page.items]), []), next: page.next };
}

/** Add an older page fetched with `before`. */
export function appendPage(list: ListState, page: DeliveryPage): ListState {
  const incoming = sortDescending([...page.items]);
  return { items: mergeDescending(list.items, incoming), next: page.next };
}

/** Add deliveries from the stream (usually newer than everything loaded). */
export function addLive(list: ListState, deliveries: readonly DeliverySummary[]): ListState {
  if (deliveries.length === 0) return list;
  const incoming = sortDescending([...deliveries]);
  const oldest = list.items[list.items.length - 1];
  // Older than the loaded tail while more pages exist: paging will bring it in order.
  const kept =
    list.next !== null && oldest !== undefined ? incoming.filter((d) => d.id > oldest.id) : incoming;
  if (kept.length === 0) return list;
  const first = list.items[0];
  if (first === undefined || kept[kept.length - 1]!.id > first.id) {
    return { items: [...kept, ...list.items], next: list.next };
  }
  return { items: mergeDescending(kept, list.items), next: list.next };
}

export function removeIds(list: ListState, ids: readonly number[] | 'all'): ListState {
  if (ids === 'all') return EMPTY_LIST;
  const gone = new Set(ids);
  if (!list.items.some((d) => gone.has(d.id))) return list;
  return { items: list.items.filter((d) => !gone.has(d.id)), next: list.next };
}

/**
 * Bound memory when deliveries keep streaming in: keep the newest `max` items and turn
 * the rest back into a page that can be fetched again.
 */
export function trimList(list: ListState, max: number): ListState {
  if (list.items.length <= max) return list;
  const items = list.items.slice(0, max);
  return { items, next: items[items.length - 1]!.id };
}

export function newestId(list: ListState): number {
  return list.items[0]?.id ?? 0;
}

/** Index of an id in the descending list (binary search), or -1. */
export function indexOfId(items: readonly DeliverySummary[], id: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = items[mid]!.id;
    if (value === id) return mid;
    if (value > id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A replay or forward attempt was recorded: the row's latest outcome follows it live
 * (the server keeps the same column for the next page load).
 */
export function applyAttempt(list: ListState, deliveryId: number, attempt: Attempt): ListState {
  if (attempt.kind !== 'replay' && attempt.kind !== 'forward') return list;
  const index = indexOfId(list.items, deliveryId);
  if (index < 0) return list;
  const items = list.items.slice();
  const outcome: LatestOutcome = { outcome: attempt.ok ? 'ok' : 'failed', status: attempt.status };
  items[index] = { ...items[index]!, [attempt.kind]: outcome };
  return { items, next: list.next };
}
