// The list/detail splitter's width: clamped to leave the detail its room at any window
// width, and remembered only when it is a sane number.
import { describe, expect, it } from 'vitest';
import { clampListWidth, loadListWidth, maxListWidth, saveListWidth } from '../../ui/state/splitter.ts';

function memory() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe('splitter width', () => {
  it('leaves the detail 400 px (and the facets 250 px in wide windows)', () => {
    expect(maxListWidth(1920)).toBe(1920 - 250 - 400);
    expect(maxListWidth(1024)).toBe(1024 - 400);
    expect(clampListWidth(5000, 800)).toBe(400);
    expect(clampListWidth(10, 1920)).toBe(280);
    expect(clampListWidth(612.4, 1920)).toBe(612);
  });

  it('remembers a width and ignores junk', () => {
    const store = memory();
    expect(loadListWidth(store)).toBeNull();
    saveListWidth(512.6, store);
    expect(loadListWidth(store)).toBe(513);
    store.setItem('soveren-inspector.listWidth', 'wide');
    expect(loadListWidth(store)).toBeNull();
    store.setItem('soveren-inspector.listWidth', '-5');
    expect(loadListWidth(store)).toBeNull();
  });
});
