// `send --tamper` judged by the conformance check's rules (judge.ts), so a variant means the
// same in `send`, the API and `check`: a bad, other-token or missing signature must be
// refused with 401/403 (check's default --expect-reject), a validly signed body that is not
// JSON must get a 4xx (never 5xx), and a wrong User-Agent is only noted.
import type { CheckOutcome, SendResult, TamperKind } from '../common/protocol.ts';
import type { OutboundResult } from '../sender/http.ts';
import { expectedList, judgeClientError, judgeRefused, noteInfo } from './judge.ts';
import type { Verdict } from './scenario.ts';

/** The statuses `check` counts as refusing a bad signature unless told otherwise. */
export const DEFAULT_EXPECT_REJECT: readonly number[] = [401, 403];

interface TamperRule {
  /** What the receiver should answer, in the scorecard's words. */
  expected: string;
  judge(res: OutboundResult): Verdict;
}

const refused = (what: string, accepted: string): TamperRule => ({
  expected: expectedList(DEFAULT_EXPECT_REJECT),
  judge: (res) => judgeRefused(res, what, DEFAULT_EXPECT_REJECT, accepted),
});

export const TAMPER_RULES: Record<TamperKind, TamperRule> = {
  body: refused('a body that differs from the signed one',
    'accepted a body that differs from the one that was signed: the receiver does not compute the HMAC over the raw body it received'),
  signature: refused('a delivery signed with another token',
    'accepted a delivery whose signature was made with another token: the receiver does not verify signatures'),
  'missing-signature': refused('a delivery without x-soveren-signature',
    'accepted a delivery without an x-soveren-signature header: the receiver treats the signature as optional'),
  'malformed-json': {
    expected: '4xx',
    judge: (res) => judgeClientError(res, 'a validly signed body that is not JSON',
      'accepted a validly signed body that is not JSON: the receiver should answer 400 so the bad delivery is visible'),
  },
  'user-agent': {
    expected: 'noted',
    judge(res) {
      // As check's user-agent scenarios: informational whatever the answer; the signature is what proves the sender.
      if (res.ok) return noteInfo(res, 'accepted a wrong User-Agent: fine, the signature is what proves the sender');
      if (res.status !== null && res.status < 500) return noteInfo(res, `refused a wrong User-Agent with ${res.status}: Soveren always sends SoverenWebhook/1.0`);
      return noteInfo(res, `answered a wrong User-Agent with ${res.status ?? `nothing (${res.error ?? 'no answer'})`}: refuse with a 4xx or accept it, an error makes the sender retry`);
    },
  },
};

/** One send result as the judge reads it (the answer's body is not kept in a SendResult). */
function asOutbound(r: Pick<SendResult, 'status' | 'ok' | 'durationMs' | 'error'>): OutboundResult {
  return { status: r.status, ok: r.ok, durationMs: r.durationMs, error: r.error, responseHeaders: [], responseBody: null, startedAt: 0, retryAfterMs: null };
}

export function judgeTamper(kind: TamperKind, r: Pick<SendResult, 'status' | 'ok' | 'durationMs' | 'error'> | OutboundResult): Verdict {
  return TAMPER_RULES[kind].judge('responseHeaders' in r ? r : asOutbound(r));
}

/** Outcome counts of one variant's results. */
export function countTamperOutcomes(kind: TamperKind, results: readonly Pick<SendResult, 'status' | 'ok' | 'durationMs' | 'error'>[]): Record<CheckOutcome, number> {
  const counts: Record<CheckOutcome, number> = { pass: 0, fail: 0, info: 0 };
  for (const r of results) counts[judgeTamper(kind, r).outcome]++;
  return counts;
}
