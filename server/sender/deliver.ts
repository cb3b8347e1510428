// One delivery with retries: exponential backoff with jitter on network errors, timeouts,
// 429 and 5xx, honouring Retry-After up to a cap. Each try is reported as it ends, so
// callers can store and stream every attempt, not only the last.
import { sendRequest, type OutboundRequest, type OutboundResult } from './http.ts';
import { sleep } from './pool.ts';

export interface RetryPolicy {
  /** Extra tries after the first (0: no retry). */
  retries: number;
  /** First backoff; doubles each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a target asking for more waits this long. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 0, baseDelayMs: 1000, maxDelayMs: 30_000, retryAfterCapMs: 60_000 };

// Outcomes that retrying cannot change: the request never left, or the caller stopped it.
const NOT_SENT = /^(invalid URL|unsupported URL scheme|request not sent|aborted)/;

export function isRetryable(r: OutboundResult): boolean {
  if (r.status === null) return r.error !== null && !NOT_SENT.test(r.error);
  return r.status === 429 || r.status >= 500;
}

/**
 * Delay before retry number `n` (0-based). Retry-After wins when sent (capped). Otherwise
 * "equal jitter": half the exponential step fixed, half random, so delays spread out
 * across clients yet never shrink from one retry to the next.
 */
export function computeRetryDelay(n: number, result: OutboundResult, policy: RetryPolicy, random: () => number = Math.random): number {
  if (result.retryAfterMs !== null) return Math.min(Math.max(0, result.retryAfterMs), policy.retryAfterCapMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(n, 30));
  return Math.round(step / 2 + random() * (step / 2));
}

export interface DeliverOptions {
  policy: RetryPolicy;
  signal?: AbortSignal;
  /** Called after each try, in order, before any wait. */
  onAttempt?: (result: OutboundResult, tryIndex: number) => void;
}

/** Every try's result, in order; the last one is the outcome. */
export function deliverWithRetries(req: OutboundRequest, options: DeliverOptions): Promise<OutboundResult[]> {
  return retryTries((signal) => sendRequest({ ...req, ...(signal && { signal }) }), isRetryable, options);
}

/** Tries a policy allows: the first and its retries (at most 100). */
export function triesOf(policy: RetryPolicy): number {
  return 1 + Math.max(0, Math.min(policy.retries, 100));
}

/**
 * The retry loop on its own, for any transport: `tryOnce` makes one try and never throws;
 * `retryable` says whether another try could change the outcome.
 */
export async function retryTries<R extends OutboundResult>(
  tryOnce: (signal: AbortSignal | undefined) => Promise<R>, retryable: (r: R) => boolean, options: DeliverOptions,
): Promise<R[]> {
  const { policy, signal } = options;
  const results: R[] = [];
  const tries = triesOf(policy);
  for (let i = 0; i < tries; i++) {
    const result = await tryOnce(signal);
    results.push(result);
    options.onAttempt?.(result, i);
    if (result.ok || !retryable(result) || i === tries - 1 || signal?.aborted) break;
    await sleep(computeRetryDelay(i, result, policy), signal);
    if (signal?.aborted) break;
  }
  return results;
}
