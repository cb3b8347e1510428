// Turns one answer of the connector into a verdict against an expectation, with a reason
// in plain words that says what the connector got wrong and why it matters.
import type { OutboundResult } from '../sender/http.ts';
import type { Verdict } from './scenario.ts';

/** "200", or why there was no status ("timed out after 10000 ms"). */
export function describeGot(res: OutboundResult): string {
  return res.status !== null ? String(res.status) : `no answer: ${res.error ?? 'unknown error'}`;
}

/** A short quote of the connector's answer, which often says why it refused. */
export function quoteAnswer(res: OutboundResult): string {
  const text = (res.responseBody ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  return ` (its answer: "${text.length > 100 ? text.slice(0, 100) + '…' : text}")`;
}

export function expectedList(statuses: readonly number[]): string {
  return statuses.length <= 1 ? String(statuses[0] ?? '') : `${statuses.slice(0, -1).join(', ')} or ${statuses[statuses.length - 1]}`;
}

function base(res: OutboundResult): Pick<Verdict, 'got' | 'durationMs' | 'answered'> {
  return { got: describeGot(res), durationMs: res.durationMs, answered: res.status !== null };
}

const pass = (res: OutboundResult, reason: string | null = null): Verdict => ({ ...base(res), outcome: 'pass', reason });
const fail = (res: OutboundResult, reason: string): Verdict => ({ ...base(res), outcome: 'fail', reason });

const RETRIED = 'Soveren counts it as a failed delivery, retries it, and marks the webhook failed after 15 minutes';

/** Failure reasons shared by every expectation: no answer, a redirect, a server error. */
function commonFailure(res: OutboundResult, what: string): string | null {
  if (res.status === null) return `${what} got no answer (${res.error ?? 'unknown error'}): ${RETRIED}`;
  if (res.status >= 300 && res.status < 400) {
    return `answered ${res.status} (a redirect) to ${what}: webhook senders do not follow redirects; the URL must answer itself`;
  }
  if (res.status >= 500) return `answered ${res.status} to ${what}${quoteAnswer(res)}: ${RETRIED}`;
  return null;
}

export interface AcceptOptions {
  /** Appended when the connector refused with a 4xx: what to fix. */
  refusedHint?: string;
  /** Also a pass, with this note (413 for the large event). */
  alsoPass?: { status: number; note: string };
}

/** Expect 2xx. */
export function judgeAccepted(res: OutboundResult, what: string, options: AcceptOptions = {}): Verdict {
  if (res.ok) return pass(res);
  if (options.alsoPass && res.status === options.alsoPass.status) return pass(res, options.alsoPass.note);
  const common = commonFailure(res, what);
  if (common) return fail(res, common);
  const hint = options.refusedHint ?? (res.status === 401 || res.status === 403
    ? ': is the connector configured with the same token as --token, and does it sign the raw body bytes?'
    : '');
  return fail(res, `refused ${what} with ${res.status}${quoteAnswer(res)}${hint}`);
}

/** Expect a refusal with one of `statuses` (401/403 by default); `acceptedReason` says what a 2xx means. */
export function judgeRefused(res: OutboundResult, what: string, statuses: readonly number[], acceptedReason: string): Verdict {
  if (res.status !== null && statuses.includes(res.status)) return pass(res);
  if (res.ok) return fail(res, acceptedReason);
  const common = commonFailure(res, what);
  if (common) return fail(res, common);
  const wanted = expectedList(statuses);
  return fail(res, `answered ${res.status} to ${what} instead of ${wanted}${quoteAnswer(res)}` +
    ` (if ${res.status} is deliberate, pass --expect-reject ${[...statuses, res.status].join(',')})`);
}

/** Expect a 4xx, never a 5xx: bad input is the sender's mistake, not the connector's. */
export function judgeClientError(res: OutboundResult, what: string, acceptedReason: string): Verdict {
  if (res.status !== null && res.status >= 400 && res.status < 500) return pass(res);
  if (res.ok) return fail(res, acceptedReason);
  if (res.status !== null && res.status >= 500) {
    return fail(res, `answered ${res.status} to ${what}${quoteAnswer(res)}: the connector fails on bad input` +
      ' instead of refusing it; answer 400, a 5xx makes the sender retry the same bad bytes');
  }
  return fail(res, commonFailure(res, what) ?? `answered ${res.status} to ${what}; expected a 4xx`);
}

/** Reported, never failing: what the connector did, and what that means. */
export function noteInfo(res: OutboundResult, note: string): Verdict {
  return { ...base(res), outcome: 'info', reason: note };
}
