// What every SIEM transport offers: one try at carrying a batch of rendered messages,
// answered as data (an OutboundResult plus whether retrying could help), never thrown.
import type { OutboundResult } from '../http.ts';

export interface TransportTry extends OutboundResult {
  /** Another try could succeed (busy, throttled, network error); false for token or data errors. */
  retryable: boolean;
}

export interface TryOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface Transport {
  /** One try: every message (one per delivery, already rendered) in one request or message batch. */
  send(messages: readonly string[], options: TryOptions): Promise<TransportTry>;
  /** Close the connections kept open between tries (forwarding stopped, a replay done). */
  close(): void;
}

/** A try that never reached the network (bad payload, aborted before start). */
export function failedTry(error: string, retryable = false, startedAt = Date.now()): TransportTry {
  return { status: null, ok: false, durationMs: 0, error, responseHeaders: [], responseBody: null, startedAt, retryAfterMs: null, retryable };
}

/** A network outcome other than an HTTP answer is worth retrying unless it never left or was stopped. */
export function isRetryableNetworkError(error: string | null): boolean {
  return error !== null && !/^(invalid URL|unsupported URL scheme|request not sent|aborted)/.test(error);
}
