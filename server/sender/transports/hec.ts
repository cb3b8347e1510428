// Splunk HTTP Event Collector: POST /services/collector/event with `Authorization: Splunk
// <token>`, events as concatenated JSON objects. Splunk answers {"text","code"}; the code
// decides (docs.splunk.com "Troubleshoot HTTP Event Collector", status and error codes):
// token codes 1-4 fail at once with Splunk's own text, busy (503, code 9) and 429 are
// retried. With indexer acknowledgement a delivery counts only once /ack says it is indexed.
// The answer is per request: every event of it shares the outcome, except that a data error
// naming one event (`invalid-event-number`) says which.
import { randomUUID } from 'node:crypto';
import { createKeepAliveAgent, sendRequest, type OutboundResult } from '../http.ts';
import { sleep } from '../pool.ts';
import { isRetryableNetworkError, type MessageOutcome, type Transport, type TransportTry, type TryOptions } from './types.ts';

export interface HecTransportOptions {
  /** http(s)://host:port of the collector. */
  base: string;
  token: string;
  /** Send X-Splunk-Request-Channel and wait for the ackId to be acknowledged. */
  ack: boolean;
  /** Longest wait for an acknowledgement (default 30 s). */
  ackTimeoutMs?: number;
  /** First wait between /ack polls (doubles up to 2 s). */
  ackPollMs?: number;
}

interface HecAnswer {
  text?: unknown;
  code?: unknown;
  /** Data errors (codes 6, 12, 13...): which event of the request, from 0. */
  'invalid-event-number'?: unknown;
  ackId?: unknown;
  acks?: unknown;
}

function readAnswer(body: string | null): HecAnswer {
  try {
    const v: unknown = JSON.parse(body ?? '');
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as HecAnswer) : {};
  } catch {
    return {};
  }
}

/** "Splunk HEC answered 403 (code 4): Invalid token": Splunk's words, never the token. */
function describeAnswer(r: OutboundResult, a: HecAnswer): string {
  const code = typeof a.code === 'number' ? ` (code ${a.code})` : '';
  const text = typeof a.text === 'string' ? `: ${a.text.slice(0, 300)}` : '';
  return `Splunk HEC answered ${r.status}${code}${text}`;
}

/**
 * A data error names one event (`invalid-event-number`, from 0): that event fails with
 * Splunk's words, the others of the request with the reason they were refused too. None is
 * retried: Splunk's answer does not say whether events before the invalid one were indexed.
 */
function blameInvalidEvent(a: HecAnswer, error: string, count: number): MessageOutcome[] | undefined {
  const n = a['invalid-event-number'];
  if (count < 2 || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= count) return undefined;
  return Array.from({ length: count }, (_, i) => ({
    ok: false, status: null, retryable: false, responseBody: null,
    error: i === n ? `${error} (this event: number ${n + 1} of ${count} in the request)` : `${error} (event ${n + 1} of ${count} in the request, not this one; the request was refused as a whole)`,
  }));
}

export function createHecTransport(o: HecTransportOptions): Transport {
  // One channel per transport: Splunk keys acknowledgements by channel (a GUID).
  const channel = randomUUID();
  // Events and /ack polls share kept-alive connections: no handshake per delivery.
  const agent = createKeepAliveAgent(o.base);
  const headers = (): [string, string][] => [
    ['Authorization', `Splunk ${o.token}`],
    ['Content-Type', 'application/json'],
    ...(o.ack ? [['X-Splunk-Request-Channel', channel] as [string, string]] : []),
  ];

  async function waitForAck(ackId: number, t: TryOptions): Promise<string | null> {
    const limit = o.ackTimeoutMs ?? 30_000;
    const deadline = Date.now() + limit;
    let wait = o.ackPollMs ?? 100;
    for (;;) {
      const r = await sendRequest({
        url: `${o.base}/services/collector/ack`, headers: headers(), body: Buffer.from(JSON.stringify({ acks: [ackId] })),
        timeoutMs: t.timeoutMs, agent, ...(t.signal && { signal: t.signal }),
      });
      const a = readAnswer(r.responseBody);
      if (!r.ok) return r.status === null ? `acknowledgement poll failed: ${r.error}` : `acknowledgement poll: ${describeAnswer(r, a)}`;
      const acks = a.acks as Record<string, unknown> | undefined;
      if (acks && typeof acks === 'object' && acks[String(ackId)] === true) return null;
      if (Date.now() + wait > deadline) return `no acknowledgement from Splunk for ackId ${ackId} within ${limit >= 1000 ? `${Math.round(limit / 1000)} s` : `${limit} ms`}`;
      await sleep(wait, t.signal);
      if (t.signal?.aborted) return 'aborted';
      wait = Math.min(2000, wait * 2);
    }
  }

  async function send(messages: readonly string[], t: TryOptions): Promise<TransportTry> {
    const r = await sendRequest({
      url: `${o.base}/services/collector/event`, headers: headers(), body: Buffer.from(messages.join('\n')),
      timeoutMs: t.timeoutMs, agent, ...(t.signal && { signal: t.signal }),
    });
    if (r.status === null) return { ...r, retryable: isRetryableNetworkError(r.error) };
    const a = readAnswer(r.responseBody);
    if (!r.ok) {
      // 429 and 503 (code 9 busy, 18-20 unhealthy queues) pass; a token or data error never will.
      const error = describeAnswer(r, a);
      const items = blameInvalidEvent(a, error, messages.length)?.map((o) => ({ ...o, status: r.status }));
      return { ...r, error, retryable: r.status === 429 || r.status === 503, ...(items && { items }) };
    }
    if (typeof a.code === 'number' && a.code !== 0) return { ...r, ok: false, error: describeAnswer(r, a), retryable: false };
    if (!o.ack) return { ...r, retryable: false };
    if (typeof a.ackId !== 'number') {
      return { ...r, ok: false, error: 'Splunk HEC gave no ackId: indexer acknowledgement is off for this token (turn it on, or drop --hec-ack)', retryable: false };
    }
    const ackError = await waitForAck(a.ackId, t);
    // Not retryable: the events were accepted, a resend could index them twice.
    return ackError === null ? { ...r, retryable: false } : { ...r, ok: false, error: ackError, retryable: false };
  }

  return { send, close: () => agent.destroy() };
}
