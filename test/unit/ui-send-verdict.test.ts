// The Send verdict line: the check's rules for tampered variants, 2xx for the rest, and
// plurals that agree with the counts.
import { describe, expect, it } from 'vitest';
import type { SendSummary } from '../../server/common/protocol.ts';
import { describeSendVerdict } from '../../ui/state/send-verdict.ts';

const base = { sent: 1, ok: 1, failed: 0, tamper: null, acceptedTampered: 0, expected: null, mismatches: 0 } as unknown as SendSummary;
const summary = (over: Partial<SendSummary>): SendSummary => ({ ...base, ...over });

describe('describeSendVerdict', () => {
  it('says "the 1 request" and "all 3 requests" for untampered sends that all answered 2xx', () => {
    expect(describeSendVerdict(summary({ sent: 1 }))).toBe('The 1 request answered 2xx.');
    expect(describeSendVerdict(summary({ sent: 3, ok: 3 }))).toBe('All 3 requests answered 2xx.');
  });
  it('counts the ones that did not answer 2xx', () => {
    expect(describeSendVerdict(summary({ sent: 1, ok: 0, failed: 1 }))).toBe('1 of 1 request did not answer 2xx.');
    expect(describeSendVerdict(summary({ sent: 1200, ok: 1000, failed: 200 }))).toBe('200 of 1,200 requests did not answer 2xx.');
  });
  it('judges tampered variants by what they should get', () => {
    expect(describeSendVerdict(summary({ tamper: 'signature', sent: 1, expected: '401 or 403' }))).toBe('The 1 tampered request got 401 or 403, as a strict receiver should.');
    expect(describeSendVerdict(summary({ tamper: 'signature', sent: 4, expected: '401 or 403' }))).toBe('Every one of the 4 tampered requests got 401 or 403, as a strict receiver should.');
    expect(describeSendVerdict(summary({ tamper: 'malformed-json', sent: 2, expected: '4xx', mismatches: 1 }))).toBe('1 of 2 tampered requests did not get 4xx.');
    expect(describeSendVerdict(summary({ tamper: 'user-agent', sent: 2, expected: 'noted', acceptedTampered: 2 }))).toBe('Noted only: a wrong User-Agent is informational (2 of 2 requests accepted).');
  });
});
