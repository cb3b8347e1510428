// Keyboard movement through the list and what the virtual list must render to show it.

/** The id `delta` rows away from `current`; the first row when nothing is selected. */
export function moveSelection(
  items: readonly { id: number }[],
  current: number | null,
  delta: number,
): number | null {
  if (items.length === 0) return null;
  const index = current === null ? -1 : items.findIndex((item) => item.id === current);
  if (index < 0) return items[0]!.id;
  return items[Math.min(items.length - 1, Math.max(0, index + delta))]!.id;
}

export interface VisibleRange {
  start: number;
  end: number;
}

/** Rows to render for a fixed-row-height list: the visible ones plus `overscan` each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): VisibleRange {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start: Math.min(start, end), end };
}

/** New scrollTop that brings row `index` fully into view, or null when it already is. */
export function revealRow(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}
