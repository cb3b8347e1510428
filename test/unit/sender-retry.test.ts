// Retry decisions and delays, the bounded pool (concurrency, rate, stop) and percentiles.
import { describe, expect, it } from 'vitest';
import { computeRetryDelay, DEFAULT_RETRY_POLICY, isRetryable } from '../../server/sender/deliver.ts';
import type { OutboundResult } from '../../server/sender/http.ts';
import { runPool } from '../../server/sender/pool.ts';
import { percentile } from '../../server/sender/report.ts';

const result = (over: Partial<OutboundResult>): OutboundResult => ({
  status: null, ok: false, durationMs: 1, error: null, responseHeaders: [], responseBody: null, startedAt: 0, retryAfterMs: null, ...over,
});

describe('isRetryable', () => {
  it('retries network errors, timeouts, 429 and 5xx, nothing else', () => {
    expect(isRetryable(result({ error: 'connection refused (is the connector running?)' }))).toBe(true);
    expect(isRetryable(result({ error: 'timed out after 10000 ms' }))).toBe(true);
    expect(isRetryable(result({ status: 429 }))).toBe(true);
    expect(isRetryable(result({ status: 500 }))).toBe(true);
    expect(isRetryable(result({ status: 503 }))).toBe(true);
    for (const status of [200, 302, 400, 401, 404, 413]) expect(isRetryable(result({ status, ok: status < 300 }))).toBe(false);
    for (const error of ['invalid URL "x"', 'unsupported URL scheme "ftp:" (http or https only)', 'request not sent: bad header', 'aborted']) {
      expect(isRetryable(result({ error }))).toBe(false);
    }
  });
});

describe('computeRetryDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, retryAfterCapMs: 5000 };
  it('uses equal jitter: half the exponential step fixed, so delays never shrink', () => {
    expect(computeRetryDelay(0, result({}), policy, () => 0)).toBe(50);
    expect(computeRetryDelay(0, result({}), policy, () => 0.999999)).toBe(100);
    expect(computeRetryDelay(1, result({}), policy, () => 0)).toBe(100);
    expect(computeRetryDelay(2, result({}), policy, () => 1)).toBe(400);
    expect(computeRetryDelay(10, result({}), policy, () => 1)).toBe(1000); // capped
    for (let n = 0; n < 8; n++) {
      expect(computeRetryDelay(n + 1, result({}), policy, () => 0)).toBeGreaterThanOrEqual(computeRetryDelay(n, result({}), policy, () => 1) / 2);
    }
  });
  it('honours Retry-After, capped', () => {
    expect(computeRetryDelay(0, result({ status: 429, retryAfterMs: 2000 }), policy, () => 0)).toBe(2000);
    expect(computeRetryDelay(0, result({ status: 503, retryAfterMs: 0 }), policy, () => 1)).toBe(0);
    expect(computeRetryDelay(0, result({ status: 429, retryAfterMs: 3_600_000 }), policy)).toBe(5000);
  });
});

describe('runPool', () => {
  it('never runs more than `concurrency` tasks at once and runs each index once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(20, async (i) => {
      running++;
      peak = Math.max(peak, running);
      seen.push(i);
      await new Promise((r) => setTimeout(r, 2));
      running--;
    }, { concurrency: 3 });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('spaces starts to the rate across lanes', async () => {
    const starts: number[] = [];
    await runPool(5, async () => { starts.push(performance.now()); }, { concurrency: 4, ratePerSec: 50 });
    // Start i has slot i * 20 ms: a late timer may bring the next start closer to it, but no
    // start comes before its slot (2 ms for timer rounding).
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[0]!).toBeGreaterThanOrEqual(i * 20 - 2);
  });

  it('stops starting tasks when aborted, letting running ones finish', async () => {
    const controller = new AbortController();
    const finished: number[] = [];
    const outcome = await runPool(100, async (i) => {
      if (i === 2) controller.abort();
      await new Promise((r) => setTimeout(r, 1));
      finished.push(i);
    }, { concurrency: 1, signal: controller.signal });
    expect(outcome).toEqual({ started: 3, stopped: true });
    expect(finished).toEqual([0, 1, 2]);
  });

  it('rethrows a task that throws after the others end, starting no more', async () => {
    const started: number[] = [];
    await expect(runPool(10, async (i) => {
      started.push(i);
      if (i === 1) throw new Error('bug');
    }, { concurrency: 1 })).rejects.toThrow('bug');
    expect(started).toEqual([0, 1]);
  });
});

describe('percentile', () => {
  it('is nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1 unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
