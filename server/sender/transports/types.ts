// What every SIEM transport offers: one try at carrying a batch of rendered messages,
// answered as data (an OutboundResult plus whether retrying could help), never thrown.
import type { OutboundResult } from '../http.ts';

export interface TransportTry extends OutboundResult {
  /** Another try could succeed (busy, throttled, network error); false for token or data errors. */
  retryable: boolean;
  /**
   * Per message, in order, when the target answers per message (Elasticsearch's bulk items,
   * the event HEC names as invalid, a datagram too big): what became of each one. Absent:
   * every message shares the try's own outcome.
   */
  items?: MessageOutcome[];
}

/** One message's part of a try: its own status, error and answer (e.g. its bulk item as JSON). */
export interface MessageOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  /** Sending this message again could succeed (a throttled bulk item); never for one already stored. */
  retryable: boolean;
  /** Its own part of the answer; null: the try's whole answer applies. */
  responseBody: string | null;
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
