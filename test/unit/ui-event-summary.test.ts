// Event summary rows: every value is text, links only for http(s).
import { describe, expect, it } from 'vitest';
import { parseEventObject, summarizeEvent } from '../../ui/state/event-summary.ts';
import { createEvent } from '../../server/soveren/events.ts';

describe('summarizeEvent', () => {
  it('summarises a realistic event with links', () => {
    const event = createEvent('policy_violation', { seed: 3 });
    const { rows, extraFields } = summarizeEvent(parseEventObject(JSON.stringify(event))!);
    const labels = rows.map((r) => r.label);
    expect(labels).toContain('Category');
    expect(labels).toContain('Event type');
    expect(extraFields).toEqual([]);
    const links = rows.flatMap((r) => r.parts).filter((p) => p.href !== null);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l.href).toMatch(/^https?:\/\//);
  });

  it('never links non-http schemes and stringifies odd values', () => {
    const { rows, extraFields } = summarizeEvent({
      event_link: 'javascript:alert(1)',
      policy: { name: '<b>p</b>', link: 'data:text/html,x' },
      sending: { name: 'svc', link: 'https://ok.example/s', groups: [{ name: 'g', link: 'vbscript:x' }] },
      data_types: { not: 'an array' },
      surprise: 1,
    });
    const parts = rows.flatMap((r) => r.parts);
    expect(parts.filter((p) => p.href !== null).map((p) => p.href)).toEqual(['https://ok.example/s']);
    expect(parts.map((p) => p.text)).toContain('<b>p</b>');
    expect(parts.map((p) => p.text)).toContain('{"not":"an array"}');
    expect(extraFields).toEqual(['surprise']);
  });

  it('shows the raw category form next to the display name', () => {
    const { rows } = summarizeEvent({ category: 'policy_violations' });
    expect(rows[0]!.parts.map((p) => p.text)).toEqual(['Data at risk', 'sent as “policy_violations”']);
  });

  it('accepts only JSON objects', () => {
    expect(parseEventObject('[1]')).toBeNull();
    expect(parseEventObject('nope')).toBeNull();
    expect(parseEventObject(null)).toBeNull();
  });
});
