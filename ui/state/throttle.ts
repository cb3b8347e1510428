// Run a refresh at most once per interval, however often it is asked for (live arrivals
// can come in at hundreds per second; the chart and facet counts need not).

export interface Throttled {
  (): void;
  cancel(): void;
}

export function createThrottle(fn: () => void, intervalMs: number, now = () => Date.now()): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    last = now();
    fn();
  };
  const throttled = (() => {
    if (timer !== null) return;
    const wait = last + intervalMs - now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }) as Throttled;
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return throttled;
}

/** Call `fn` once typing has paused for `delayMs`. */
export function createDebounce<A extends unknown[]>(fn: (...args: A) => void, delayMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const debounced = (...args: A) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, delayMs);
  };
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}

/**
 * Call `fn` once calls have paused for `quietMs`, and at least every `maxWaitMs` while
 * they keep coming. Live counts are applied locally as rows arrive; the server's figures
 * are fetched after a burst, not in its middle (where they would race the stream).
 */
export function createSettle(fn: () => void, quietMs: number, maxWaitMs: number, now = () => Date.now()): Throttled {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstAsk: number | null = null;
  const run = () => {
    timer = null;
    firstAsk = null;
    fn();
  };
  const settle = (() => {
    const t = now();
    firstAsk ??= t;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(quietMs, firstAsk + maxWaitMs - t)));
  }) as Throttled;
  settle.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    firstAsk = null;
  };
  return settle;
}
