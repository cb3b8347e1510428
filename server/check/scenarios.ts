// The full list of conformance scenarios for given settings, in the order they run, and
// the `--only` selection over it.
import type { CheckScenarioInfo, CheckSettings } from '../common/protocol.ts';
import { createCategoryScenarios, createCompatibilityScenarios, createEventTypeScenarios, createRetryScenario } from './scenarios-accept.ts';
import { createJsonScenarios, createSignatureScenarios } from './scenarios-refuse.ts';
import { createBurstScenario, createLargeScenario, createUserAgentScenarios } from './scenarios-load.ts';
import type { Scenario } from './scenario.ts';
import { SIEM_SCENARIOS } from './through.ts';

export const DEFAULT_CHECK_SETTINGS: Readonly<CheckSettings> = Object.freeze({
  timeoutMs: 10_000,
  burst: 200,
  expectReject: [401, 403],
  largeSize: 512 * 1024,
  only: null,
});

import { CHECK_LIMITS } from '../common/check-limits.ts';

export { CHECK_LIMITS };

export function createScenarios(settings: CheckSettings): Scenario[] {
  return [
    ...createCategoryScenarios(),
    ...createEventTypeScenarios(),
    ...createSignatureScenarios(settings.expectReject),
    ...createJsonScenarios(),
    ...createCompatibilityScenarios(),
    createRetryScenario(),
    ...createUserAgentScenarios(),
    createLargeScenario(settings.largeSize),
    createBurstScenario(settings.burst),
  ];
}

/**
 * `--only`: comma-separated patterns, each matched case-insensitively as a substring of a
 * scenario's id or name; `*` in a pattern is a wildcard over the id.
 */
export function selectScenarios<T extends CheckScenarioInfo>(scenarios: readonly T[], only: string | null): T[] {
  if (only === null || only.trim() === '') return [...scenarios];
  const patterns = only.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  return scenarios.filter((s) => patterns.some((p) => {
    if (p.includes('*')) return matchGlob(p, s.id.toLowerCase());
    return s.id.toLowerCase().includes(p) || s.name.toLowerCase().includes(p);
  }));
}

/**
 * `*` matches any run of characters. The classic two-pointer wildcard match: linear in
 * practice, never the exponential backtracking a pattern like a*a*a*...b costs a regex.
 */
export function matchGlob(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The scenarios a run with these settings will send, as listed to users; with `through`, the SIEM results last. */
export function planScenarios(settings: CheckSettings): CheckScenarioInfo[] {
  const sent = selectScenarios(createScenarios(settings), settings.only)
    .map(({ id, name, group, required, expected }): CheckScenarioInfo => ({ id, name, group, required, expected }));
  return settings.through && sent.length > 0 ? [...sent, ...SIEM_SCENARIOS.map((s) => ({ ...s }))] : sent;
}

/** Problems with an expected-refusal list: "401,403" -> [401, 403], or a message. */
export function parseStatusList(text: string): number[] | string {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return 'needs at least one status, such as 401,403';
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{3}$/.test(p)) return `takes HTTP statuses such as 401,403, got "${p.slice(0, 20)}"`;
    const n = Number(p);
    if (n < CHECK_LIMITS.status.min || n > CHECK_LIMITS.status.max) return `takes statuses between 100 and 599, got ${n}`;
    if (n >= 200 && n < 300) return `cannot count ${n} as a refusal: a 2xx is an acceptance`;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
