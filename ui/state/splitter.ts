// The list/detail splitter's width: clamped so both panes stay usable and the page never
// scrolls sideways, and remembered in localStorage across reloads. Pure but for storage.

const KEY = 'soveren-inspector.listWidth';
export const MIN_LIST = 280;
/** Room the detail pane keeps (its actions must stay visible). */
export const MIN_DETAIL = 400;
/** The facets column beside the list in wide windows (the drawer takes none below 1,100 px). */
export const FACETS_WIDTH = 250;
export const NARROW_BELOW = 1100;

/** The widest the list may be in a window this wide. */
export function maxListWidth(viewport: number): number {
  const facets = viewport < NARROW_BELOW ? 0 : FACETS_WIDTH;
  return Math.max(MIN_LIST, viewport - facets - MIN_DETAIL);
}

export function clampListWidth(width: number, viewport: number): number {
  return Math.round(Math.min(Math.max(width, MIN_LIST), maxListWidth(viewport)));
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): Store | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled: the splitter still works, for this page only
  }
}

export function loadListWidth(store: Store | null = storage()): number | null {
  const n = Number(store?.getItem(KEY));
  return Number.isFinite(n) && n >= MIN_LIST && n <= 10_000 ? n : null;
}

export function saveListWidth(width: number, store: Store | null = storage()): void {
  try {
    store?.setItem(KEY, String(Math.round(width)));
  } catch {
    // full or disabled: not remembered, nothing else lost
  }
}
