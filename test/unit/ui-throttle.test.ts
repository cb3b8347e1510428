// Throttle and debounce used for refreshes and search typing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDebounce, createSettle, createThrottle } from '../../ui/state/throttle.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createThrottle', () => {
  it('runs at once, then at most once per interval', () => {
    const fn = vi.fn();
    const t = createThrottle(fn, 3000);
    t();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 100; i++) t();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(3000);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
  it('can be cancelled', () => {
    const fn = vi.fn();
    const t = createThrottle(fn, 1000);
    t();
    t();
    t.cancel();
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('createDebounce', () => {
  it('runs once typing pauses, with the last value', () => {
    const fn = vi.fn();
    const d = createDebounce(fn, 250);
    d('a');
    vi.advanceTimersByTime(100);
    d('ab');
    vi.advanceTimersByTime(249);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledWith('ab');
  });
});

describe('createSettle', () => {
  it('runs once a burst goes quiet, and at least every maxWait while it lasts', () => {
    const fn = vi.fn();
    const s = createSettle(fn, 500, 3000, () => Date.now());
    s();
    vi.advanceTimersByTime(499);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    // A steady stream every 100 ms never goes quiet: it still refreshes by the 3 s mark.
    for (let i = 0; i < 30; i++) {
      s();
      vi.advanceTimersByTime(100);
    }
    expect(fn).toHaveBeenCalledTimes(2);
    s.cancel();
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
