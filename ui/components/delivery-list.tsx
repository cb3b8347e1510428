// The virtualised delivery list: fixed row height, only the visible rows (plus overscan)
// in the DOM, older pages fetched as the end comes into view. Live rows prepended above
// the viewport keep what the user is reading in place.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DeliverySummary } from '../../server/common/protocol.ts';
import { indexOfId } from '../state/list.ts';
import { revealRow, visibleRange } from '../state/selection.ts';
import { DeliveryRow } from './delivery-row.tsx';

export const ROW_HEIGHT = 52;
const PREFETCH_ROWS = 60;

interface ListProps {
  items: readonly DeliverySummary[];
  hasMore: boolean;
  loadingMore: boolean;
  selectedId: number | null;
  openId: number | null;
  /** Changes when the list is replaced by another query's: scroll back to the top. */
  resetKey: string | null;
  query: string | null;
  onOpen(id: number): void;
  onLoadMore(): void;
  onFirstVisible(index: number): void;
}

export function DeliveryList(props: ListProps) {
  const { items, hasMore, loadingMore, selectedId, openId, onOpen, onLoadMore } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const anchor = useRef<{ id: number; offset: number } | null>(null);
  const frame = useRef<number | null>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const remember = (top: number) => {
    const index = Math.floor(top / ROW_HEIGHT);
    const item = itemsRef.current[index];
    anchor.current = top > 0 && item ? { id: item.id, offset: top - index * ROW_HEIGHT } : null;
  };

  const onScroll = () => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const el = ref.current;
      if (!el) return;
      setScrollTop(el.scrollTop);
      remember(el.scrollTop);
      props.onFirstVisible(Math.floor(el.scrollTop / ROW_HEIGHT));
    });
  };

  // Rows added above: keep the anchored row where it was (unless at the very top,
  // where the user wants to see arrivals).
  useLayoutEffect(() => {
    const el = ref.current;
    const a = anchor.current;
    if (!el || !a) return;
    const index = indexOfId(items, a.id);
    if (index < 0) return;
    const target = index * ROW_HEIGHT + a.offset;
    if (Math.abs(el.scrollTop - target) >= 1) {
      el.scrollTop = target;
      setScrollTop(target);
    }
  }, [items]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = 0;
    anchor.current = null;
    setScrollTop(0);
  }, [props.resetKey]);

  // Keep the keyboard selection visible.
  useEffect(() => {
    const el = ref.current;
    if (!el || selectedId === null) return;
    const index = indexOfId(items, selectedId);
    if (index < 0) return;
    const next = revealRow(index, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (next !== null) {
      el.scrollTop = next;
      setScrollTop(next);
      remember(next);
    }
  }, [selectedId]);

  const range = visibleRange(scrollTop, height, ROW_HEIGHT, items.length, 10);
  useEffect(() => {
    if (hasMore && !loadingMore && range.end + PREFETCH_ROWS >= items.length) onLoadMore();
  }, [hasMore, loadingMore, range.end, items.length]);

  const rows = [];
  for (let i = range.start; i < range.end; i++) {
    const d = items[i]!;
    rows.push(
      <DeliveryRow
        key={d.id}
        delivery={d}
        top={i * ROW_HEIGHT}
        selected={d.id === selectedId}
        open={d.id === openId}
        onOpen={onOpen}
      />,
    );
  }

  return (
    <div
      class="list"
      ref={ref}
      onScroll={onScroll}
      role="listbox"
      aria-label="Deliveries"
      data-query={props.query ?? undefined}
      data-count={items.length}
    >
      <div class="list__canvas" style={{ height: `${items.length * ROW_HEIGHT + (hasMore ? ROW_HEIGHT : 0)}px` }}>
        {rows}
        {hasMore ? (
          <div class="list__more" style={{ transform: `translateY(${items.length * ROW_HEIGHT}px)` }}>
            Loading older deliveries…
          </div>
        ) : null}
      </div>
    </div>
  );
}
