// The handle between the list and the detail pane: drag it, or focus it and use the arrow
// keys (Shift for bigger steps, Home/End for the limits). The width is remembered across
// reloads; the panes' grid reads it as --list-width (see panes.css).
import { useEffect, useRef, useState } from 'preact/hooks';
import { clampListWidth, loadListWidth, maxListWidth, MIN_LIST, saveListWidth } from '../state/splitter.ts';

function panesOf(el: HTMLElement | null): HTMLElement | null {
  return el?.closest('.panes') ?? null;
}

export function ListSplitter() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(() => loadListWidth());
  const [viewport, setViewport] = useState(() => window.innerWidth);
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);

  useEffect(() => {
    const onResize = () => setViewport(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  // The width applies through a CSS variable (clamped there too, against the window), written
  // at once rather than after a render, so quick key presses build on each other.
  const apply = (w: number | null) => {
    const panes = panesOf(ref.current);
    if (!panes || w === null) return;
    panes.style.setProperty('--list-width', `${w}px`);
    panes.classList.add('panes--sized');
  };
  useEffect(() => apply(width), []);

  const current = () => ref.current?.parentElement?.getBoundingClientRect().width ?? MIN_LIST;
  const set = (next: number, save: boolean) => {
    const w = clampListWidth(next, window.innerWidth);
    apply(w);
    setWidth(w);
    if (save) saveListWidth(w);
  };
  const shown = clampListWidth(width ?? current(), viewport);

  return (
    <div
      ref={ref}
      class="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the list and the detail"
      aria-valuemin={MIN_LIST}
      aria-valuemax={maxListWidth(viewport)}
      aria-valuenow={shown}
      tabIndex={0}
      title="Drag, or use ← → (Shift: faster), to resize the list and the detail"
      data-testid="splitter"
      onPointerDown={(e) => {
        e.preventDefault();
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        drag.current = { startX: e.clientX, startWidth: current() };
      }}
      onPointerMove={(e) => {
        if (drag.current) set(drag.current.startWidth + e.clientX - drag.current.startX, false);
      }}
      onPointerUp={(e) => {
        if (!drag.current) return;
        set(drag.current.startWidth + e.clientX - drag.current.startX, true);
        drag.current = null;
      }}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 64 : 16;
        const keys: Record<string, () => number> = {
          ArrowLeft: () => current() - step,
          ArrowRight: () => current() + step,
          Home: () => MIN_LIST,
          End: () => maxListWidth(window.innerWidth),
        };
        const to = Object.hasOwn(keys, e.key) ? keys[e.key] : undefined;
        if (!to) return;
        e.preventDefault();
        e.stopPropagation();
        set(to(), true);
      }}
    />
  );
}
