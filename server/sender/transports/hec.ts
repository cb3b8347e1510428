// Splunk HTTP Event Collector: POST /services/collector/event with `Authorization: Splunk
// <token>`, events as concatenated JSON objects. Splunk answers {"text","code"}; the code
// decides (docs.splunk.com "Troubleshoot HTTP Event Collector", status and error codes):
// token codes 1-4 fail at once with Splunk's own text, busy (503, code 9) and 429 are
// retried. With indexer acknowledgement a delivery counts only once /ack says it is indexed.
import { randomUUID } from 'node:crypto';
import { createKeepAliveAgent, sendRequest, type OutboundResult } from '../http.ts';
import { sleep } from '../pool.ts';
import { isRetryableNetworkError, type Transport, type TransportTry, type TryOptions } from './types.ts';

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
      return { ...r, error: describeAnswer(r, a), retryable: r.status === 429 || r.status === 503 };
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
