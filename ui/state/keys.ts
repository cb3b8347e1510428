// Which keyboard shortcut a key press means, if any. Typing in a field is never taken
// over, except Esc, which leaves the field.

export type KeyAction = 'down' | 'up' | 'open' | 'search' | 'escape' | 'help' | 'top' | 'bottom';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in an input, textarea, select or contenteditable element. */
  editing: boolean;
}

export const KEY_HELP: readonly [keys: string, what: string][] = [
  ['j  ↓', 'next delivery'],
  ['k  ↑', 'previous delivery'],
  ['Enter', 'open the selected delivery'],
  ['g  G', 'first / last loaded delivery'],
  ['/', 'focus the search box'],
  ['Esc', 'close the detail, a dialog or this help; leave the search box'],
  ['?', 'show or hide this help'],
  ['Alt-click a facet', 'exclude it (-field:value); Ctrl/⌘-click too'],
];

export function keyAction(press: KeyPress): KeyAction | null {
  if (press.key === 'Escape') return 'escape';
  if (press.editing || press.ctrlKey || press.metaKey || press.altKey) return null;
  switch (press.key) {
    case 'j':
    case 'ArrowDown':
      return 'down';
    case 'k':
    case 'ArrowUp':
      return 'up';
    case 'Enter':
      return 'open';
    case '/':
      return 'search';
    case '?':
      return 'help';
    case 'g':
    case 'Home':
      return 'top';
    case 'G':
    case 'End':
      return 'bottom';
    default:
      return null;
  }
}

export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}
