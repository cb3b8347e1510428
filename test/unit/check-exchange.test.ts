// Which request a scenario keeps for its scorecard row (the failing one of several), what of
// the answer is kept (the token hidden), and when there is no cURL (a body cut at 64 KiB).
import { describe, expect, it } from 'vitest';
import type { OutboundResult } from '../../server/sender/http.ts';
import { CHECK_EXCHANGE_BODY_BYTES, createExchangeRecorder } from '../../server/check/exchange.ts';

const answer = (status: number | null, over: Partial<OutboundResult> = {}): OutboundResult => ({
  status, ok: status !== null && status >= 200 && status < 300, durationMs: 1, error: status === null ? 'timed out after 50 ms' : null,
  responseHeaders: status === null ? [] : [['content-type', 'text/plain']], responseBody: status === null ? null : `answer ${status}`,
  startedAt: 0, retryAfterMs: null, ...over,
});
const URL_ = 'http://user:pw@127.0.0.1:9/hook?a=1';
const headers: [string, string][] = [['Content-Type', 'application/json'], ['x-soveren-signature', 'sha256=ab']];
const keep = (t: string) => t;

describe('exchange recorder', () => {
  it('keeps the failed answer of several, and the last one when all went the same way', () => {
    const retry = createExchangeRecorder();
    retry.record(URL_, headers, Buffer.from('{"n":1}'), answer(200));
    retry.record(URL_, headers, Buffer.from('{"n":2}'), answer(409));
    expect(retry.take(keep)).toMatchObject({ request: { body: '{"n":2}' }, response: { status: 409, body: 'answer 409' } });

    const burst = createExchangeRecorder();
    burst.record(URL_, headers, Buffer.from('{"n":1}'), answer(null));
    burst.record(URL_, headers, Buffer.from('{"n":2}'), answer(200));
    const x = burst.take(keep)!;
    expect(x).toMatchObject({ request: { body: '{"n":1}' }, response: null, error: 'timed out after 50 ms' });
    expect(createExchangeRecorder().take(keep)).toBeNull();
  });

  it('drops user:password from the URL, hides the token in the answer, and builds a cURL to the URL only', () => {
    const r = createExchangeRecorder();
    r.record(URL_, headers, Buffer.from('{"x":"$(id)"}'), answer(200, { responseBody: 'echo tok-1234', responseHeaders: [['x-echo', 'tok-1234']] }));
    const x = r.take((t) => t.split('tok-1234').join('[token]'))!;
    expect(x.request.url).toBe('http://127.0.0.1:9/hook?a=1');
    expect(x.response).toEqual({ status: 200, headers: [['x-echo', '[token]']], body: 'echo [token]' });
    expect(x.curl).toContain("--request-target '/hook?a=1'");
    expect(x.curl).toContain("'http://127.0.0.1:9/'");
    expect(x.curl).toContain('--data-binary @-');
    expect(x.curl).not.toContain('pw@');
  });

  it('cuts a body over 64 KiB and offers no cURL for it', () => {
    const r = createExchangeRecorder();
    r.record(URL_, headers, Buffer.alloc(CHECK_EXCHANGE_BODY_BYTES + 1, 0x61), answer(500));
    const x = r.take(keep)!;
    expect(x.request).toMatchObject({ bodyBytes: CHECK_EXCHANGE_BODY_BYTES + 1, bodyTruncated: true });
    expect(x.request.body).toHaveLength(CHECK_EXCHANGE_BODY_BYTES);
    expect(x.curl).toBeNull();
  });
});
