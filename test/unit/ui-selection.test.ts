// Keyboard movement, the virtual window and keeping the selection in view.
import { describe, expect, it } from 'vitest';
import { moveSelection, revealRow, visibleRange } from '../../ui/state/selection.ts';
import { keyAction } from '../../ui/state/keys.ts';

const items = [{ id: 9 }, { id: 7 }, { id: 4 }];

describe('moveSelection', () => {
  it('starts at the first row and clamps at both ends', () => {
    expect(moveSelection(items, null, 1)).toBe(9);
    expect(moveSelection(items, 9, 1)).toBe(7);
    expect(moveSelection(items, 4, 1)).toBe(4);
    expect(moveSelection(items, 9, -1)).toBe(9);
    expect(moveSelection(items, 123, 1)).toBe(9);
    expect(moveSelection([], null, 1)).toBeNull();
  });
});

describe('visibleRange', () => {
  it('renders the visible rows plus overscan', () => {
    expect(visibleRange(0, 500, 50, 100_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(50_000, 500, 50, 100_000, 5)).toEqual({ start: 995, end: 1016 });
    expect(visibleRange(0, 500, 50, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 500, 50, 0, 5)).toEqual({ start: 0, end: 0 });
  });
  it('stays small whatever the list length', () => {
    const r = visibleRange(4_000_000, 900, 52, 100_000, 10);
    expect(r.end - r.start).toBeLessThan(45);
  });
});

describe('revealRow', () => {
  it('scrolls only when the row is out of view', () => {
    expect(revealRow(5, 0, 500, 50)).toBeNull();
    expect(revealRow(12, 0, 500, 50)).toBe(150);
    expect(revealRow(2, 400, 500, 50)).toBe(100);
  });
});

describe('keyAction', () => {
  const press = (key: string, editing = false, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    keyAction({ key, editing, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('maps keys', () => {
    expect(['j', 'ArrowDown', 'k', 'ArrowUp', 'Enter', '/', '?', 'Escape'].map((k) => press(k))).toEqual([
      'down', 'down', 'up', 'up', 'open', 'search', 'help', 'escape',
    ]);
  });
  it('ignores keys while typing, except Esc', () => {
    expect(press('j', true)).toBeNull();
    expect(press('/', true)).toBeNull();
    expect(press('Escape', true)).toBe('escape');
  });
  it('leaves modified keys to the browser', () => {
    expect(press('k', false, { ctrlKey: true })).toBeNull();
  });
});
