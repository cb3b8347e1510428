// The conformance scenario list: coverage of categories and event types, names that say
// what they probe, --only selection, status lists, the large event and percentiles.
import { describe, expect, it } from 'vitest';
import { CATEGORIES, EVENT_TYPES } from '../../server/common/catalog.ts';
import { DEFAULT_CHECK_SETTINGS, matchGlob, parseStatusList, planScenarios, selectScenarios } from '../../server/check/scenarios.ts';
import { padEvent, percentile, summarizeLatency } from '../../server/check/scenarios-load.ts';
import { createEvent, serializeEvent } from '../../server/soveren/events.ts';

const plan = planScenarios({ ...DEFAULT_CHECK_SETTINGS });
const PROBE_WORDS = ['signature', 'json', 'burst', 'category', 'event_type', 'user-agent', 'retry', 'large'];

describe('scenario list', () => {
  it('has one valid-event scenario per category and per documented event type', () => {
    expect(plan.filter((s) => s.group === 'category').map((s) => s.id).sort())
      .toEqual(CATEGORIES.map((c) => `category-${c.facet}`).sort());
    const types = plan.filter((s) => s.group === 'event_type').map((s) => s.id.replace('event_type-', ''));
    expect(types.sort()).toEqual([...EVENT_TYPES].sort());
    expect(types).toHaveLength(29);
  });

  it('gives every scenario a unique id and a name that says what it probes', () => {
    expect(new Set(plan.map((s) => s.id)).size).toBe(plan.length);
    for (const s of plan) expect(PROBE_WORDS.some((w) => s.name.includes(w)), s.name).toBe(true);
  });

  it('covers the signature, json, compatibility, retry, large and burst probes, with user agents and uppercase hex as info', () => {
    const ids = plan.map((s) => s.id);
    for (const id of ['signature-other-token', 'signature-other-body', 'signature-missing', 'signature-malformed-junk',
      'signature-malformed-sha1', 'signature-duplicate-header', 'json-malformed', 'json-empty-body', 'compat-unknown-event_type',
      'compat-unknown-fields', 'category-slug-form', 'category-legacy-form', 'retry-same-delivery-twice', 'large-event', 'burst-concurrent']) {
      expect(ids).toContain(id);
    }
    expect(plan.filter((s) => !s.required).map((s) => s.id).sort()).toEqual(['signature-uppercase-hex', 'user-agent-missing', 'user-agent-wrong']);
  });

  it('states the refusal statuses, burst size and large size it was configured with', () => {
    const custom = planScenarios({ ...DEFAULT_CHECK_SETTINGS, expectReject: [400, 401], burst: 20, largeSize: 1024 * 1024 });
    expect(custom.find((s) => s.id === 'signature-missing')!.expected).toBe('400 or 401');
    expect(custom.find((s) => s.id === 'burst-concurrent')!.name).toContain('burst of 20 ');
    expect(custom.find((s) => s.id === 'large-event')!.name).toContain('(1 MiB)');
  });
});

describe('selectScenarios (--only)', () => {
  it('matches words in ids and names, comma-separated, and globs over ids', () => {
    expect(selectScenarios(plan, 'signature').map((s) => s.group)).toEqual(Array(7).fill('signature'));
    expect(selectScenarios(plan, 'signature, JSON').length).toBe(7 + 2 + 1); // + "unknown extra json fields"
    expect(selectScenarios(plan, 'event_type-*').length).toBe(29);
    expect(selectScenarios(plan, 'burst').map((s) => s.id)).toEqual(['burst-concurrent']);
    expect(selectScenarios(plan, 'no-such-probe')).toEqual([]);
    expect(selectScenarios(plan, null)).toHaveLength(plan.length);
  });
});

describe('matchGlob', () => {
  it('matches * over any run of characters, whole id only, and stays fast on hostile patterns', () => {
    expect(matchGlob('signature-*', 'signature-missing')).toBe(true);
    expect(matchGlob('*-missing', 'signature-missing')).toBe(true);
    expect(matchGlob('s*g*e', 'signature')).toBe(true);
    expect(matchGlob('*', '')).toBe(true);
    expect(matchGlob('signature-*', 'json-malformed')).toBe(false);
    expect(matchGlob('signature', 'signature-missing')).toBe(false);
    const started = performance.now();
    expect(matchGlob('a*'.repeat(100) + 'b', 'a'.repeat(60))).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('parseStatusList (--expect-reject)', () => {
  it('reads statuses and refuses anything else with a reason', () => {
    expect(parseStatusList('401,403')).toEqual([401, 403]);
    expect(parseStatusList(' 400 , 401,401')).toEqual([400, 401]);
    expect(parseStatusList('')).toMatch(/at least one/);
    expect(parseStatusList('4xx')).toMatch(/"4xx"/);
    expect(parseStatusList('200')).toMatch(/acceptance/);
    expect(parseStatusList('700')).toMatch(/between 100 and 599/);
  });
});

describe('padEvent (large event)', () => {
  const base = Buffer.from(serializeEvent(createEvent('custom_asset_rule_conflict', { seed: 3 })));
  it.each([8 * 1024, 512 * 1024, 1024 * 1024 + 7])('builds a realistic event of exactly %i bytes', (size) => {
    const body = padEvent(base, size);
    expect(body.length).toBe(size);
    const event = JSON.parse(body.toString('utf8'));
    expect(event.event_type).toBe('custom_asset_rule_conflict');
    expect(event.title).toBe(JSON.parse(base.toString()).title);
    expect(event.conflicting_assets.length).toBeGreaterThan(10);
    expect(event.conflicting_assets.every((a: { name: string; link: string }) => typeof a.name === 'string' && a.link.startsWith('https://'))).toBe(true);
  });
  it('leaves an event alone when it is already larger than asked', () => {
    expect(padEvent(base, 10)).toEqual(Buffer.from(JSON.stringify(JSON.parse(base.toString()))));
  });
});

describe('latency percentiles', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
    expect(summarizeLatency([30, 10, 20])).toEqual({ count: 3, p50Ms: 20, p99Ms: 30, maxMs: 30 });
  });
});
