// The request a scenario's verdict rests on and the connector's answer, kept for a failed or
// noted scenario so the scorecard can show it and copy it as cURL. Of several requests (a
// retry, a burst) the one that went wrong is kept. The curl command comes from the safe
// generator (export/curl.ts): the connection goes to the check's URL only, and the body is
// fed through stdin, so nothing in it can pick a host or a file.
import type { CheckExchange } from '../common/protocol.ts';
import type { OutboundResult } from '../sender/http.ts';
import { redactUrl } from '../sender/target-url.ts';
import { fixedTarget, formatCurl } from '../export/curl.ts';

/** Bytes of a request body kept with the exchange; a larger body (the large event) is cut and has no cURL. */
export const CHECK_EXCHANGE_BODY_BYTES = 64 * 1024;

interface Sent {
  url: string;
  headers: readonly [string, string][];
  body: Uint8Array;
  result: OutboundResult;
}

export interface ExchangeRecorder {
  record(url: string, headers: readonly [string, string][], body: Uint8Array, result: OutboundResult): void;
  /** The exchange to show, with `hide` applied to what the connector sent back; null when nothing was sent. */
  take(hide: (text: string) => string): CheckExchange | null;
}

export function createExchangeRecorder(): ExchangeRecorder {
  let kept: Sent | null = null;
  return {
    record(url, headers, body, result) {
      // A failed answer is what the verdict is about: a later success does not replace it.
      if (kept && !kept.result.ok && result.ok) return;
      kept = { url, headers, body, result };
    },
    take(hide) {
      return kept && toExchange(kept, hide);
    },
  };
}

function toExchange(s: Sent, hide: (text: string) => string): CheckExchange {
  const url = redactUrl(s.url);
  const body = Buffer.from(s.body.buffer, s.body.byteOffset, s.body.byteLength);
  const truncated = body.length > CHECK_EXCHANGE_BODY_BYTES;
  const kept = truncated ? body.subarray(0, CHECK_EXCHANGE_BODY_BYTES) : body;
  const r = s.result;
  return {
    request: { method: 'POST', url, headers: s.headers.map(([k, v]) => [k, v]), body: kept.toString('utf8'), bodyBytes: body.length, bodyTruncated: truncated },
    response: r.status === null ? null : {
      status: r.status,
      headers: r.responseHeaders.map(([k, v]) => [hide(k), hide(v)]),
      body: hide(r.responseBody ?? ''),
    },
    error: r.status === null ? (r.error === null ? null : hide(r.error)) : null,
    curl: truncated ? null : formatCheckCurl(url, s.headers, body),
  };
}

/** `curl ... URL` that sends these exact bytes and headers to the check's URL. */
export function formatCheckCurl(url: string, headers: readonly [string, string][], body: Buffer): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return formatCurl({ method: 'POST', path: parsed.pathname, query: parsed.search.slice(1), headers, body }, fixedTarget(parsed.origin));
}
