// The conformance check form as plain data, turned into a CheckRequest or a sentence
// saying what is wrong. Numbers stay text while typed; empty means the server's default.
import type { CheckRequest } from '../../server/common/contract/client-type.ts';
import type { SinkKind } from '../../server/common/protocol.ts';
import { describeBadTarget } from './targets.ts';

export interface CheckForm {
  url: string;
  token: string;
  timeoutMs: string;
  burst: string;
  expectReject: string;
  largeKiB: string;
  only: string;
  /** '' checks the connector's answers only; a sink also judges what it writes into the inspector's own sinks. */
  through: '' | SinkKind;
  /** With `through`: seconds to wait for the last events to reach the sink. */
  sinkWaitS: string;
}

export function initialCheckForm(url = ''): CheckForm {
  return { url, token: '', timeoutMs: '', burst: '', expectReject: '', largeKiB: '', only: '', through: '', sinkWaitS: '' };
}

function wholeNumber(text: string, label: string, min: number, max: number): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!/^\d+$/.test(t) || Number(t) < min || Number(t) > max) return `${label} must be a whole number from ${min} to ${max}.`;
  return Number(t);
}

/** A CheckRequest, or the first problem as a sentence. */
export function toCheckRequest(form: CheckForm): CheckRequest | string {
  const bad = describeBadTarget(form.url);
  if (bad) return bad;
  if (form.token === '') return 'Enter the webhook token the connector verifies signatures with.';
  const req: CheckRequest = { url: form.url.trim(), token: form.token };
  const timeout = wholeNumber(form.timeoutMs, 'Timeout', 50, 120_000);
  if (typeof timeout === 'string') return timeout;
  if (timeout !== undefined) req.timeoutMs = timeout;
  const burst = wholeNumber(form.burst, 'Burst', 1, 1000);
  if (typeof burst === 'string') return burst;
  if (burst !== undefined) req.burst = burst;
  const large = wholeNumber(form.largeKiB, 'Large event size', 4, 65_536);
  if (typeof large === 'string') return large;
  if (large !== undefined) req.largeSize = large * 1024;
  if (form.expectReject.trim() !== '') {
    const parts = form.expectReject.split(/[\s,]+/).filter(Boolean);
    if (!parts.every((p) => /^[1-5]\d\d$/.test(p))) return 'Refusal statuses must be HTTP statuses such as 401, 403.';
    const statuses = parts.map(Number);
    if (statuses.some((s) => s >= 200 && s < 300)) return 'A 2xx cannot count as a refusal.';
    req.expectReject = [...new Set(statuses)];
  }
  if (form.only.trim() !== '') req.only = form.only.trim();
  if (form.through !== '') {
    req.through = form.through;
    const wait = wholeNumber(form.sinkWaitS, 'Wait for the SIEM', 0, 600);
    if (typeof wait === 'string') return wait;
    if (wait !== undefined) req.sinkWaitMs = wait * 1000;
  }
  return req;
}
