// The one-line verdict of a Send, in words: tampered variants judged by the check's rules
// (expected "401 or 403", "4xx", or "noted"), untampered sends by their 2xx answers. Plurals
// agree with the counts ("the 1 request", not "all 1 requests").
import type { SendSummary } from '../../server/common/protocol.ts';
import { countOf, formatCount } from './format.ts';

export function describeSendVerdict(s: SendSummary): string {
  const sent = countOf(s.sent, 'request');
  const tampered = countOf(s.sent, 'tampered request');
  if (s.tamper) {
    if (s.expected === 'noted') return `Noted only: a wrong User-Agent is informational (${formatCount(s.acceptedTampered)} of ${sent} accepted).`;
    if (s.mismatches === 0) return `${s.sent === 1 ? 'The' : 'Every one of the'} ${tampered} got ${s.expected}, as a strict receiver should.`;
    return `${formatCount(s.mismatches)} of ${tampered} did not get ${s.expected}.`;
  }
  if (s.failed === 0) return s.sent === 1 ? 'The 1 request answered 2xx.' : `All ${sent} answered 2xx.`;
  return `${formatCount(s.failed)} of ${sent} did not answer 2xx.`;
}
