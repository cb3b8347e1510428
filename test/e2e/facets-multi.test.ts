// Facets are checkboxes: ticking a second value of a field shows either, the field's other
// values keep their counts while one is ticked, and the ticked box is readable in both schemes.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, rowIds, useE2eFixture, waitForList } from './browser.ts';
import { contrastRatios } from './contrast.ts';

const e2e = useE2eFixture();

describe('multi-select facets', () => {
  it('ticks several categories (either), keeping the others visible with counts', async () => {
    const risk = await postEvent(e2e.inspector.receiverUrl, { title: 'Risk', category: 'Data at risk', event_type: 'policy_violation' });
    const misconf = await postEvent(e2e.inspector.receiverUrl, { title: 'Misconf', category: 'Misconfiguration', event_type: 'public_bucket' });
    await postEvent(e2e.inspector.receiverUrl, { title: 'Other', category: 'Other', event_type: 'discovery_complete' });
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const facet = (field: string, value: string) => page.locator(`.facet[data-field="${field}"][data-value="${value}"]`);
    const countOf = async (field: string, value: string) => (await facet(field, value).locator('.facet__count').textContent())?.trim();

    await facet('category', 'data_at_risk').click();
    await waitForList(page, 'category:data_at_risk');
    expect(await rowIds(page)).toEqual([risk]);
    // The unticked categories stay, each with the count ticking it would add.
    await page.waitForFunction(() => document.querySelector('.facet[data-field="category"][data-value="other"] .facet__count')?.textContent === '1');
    expect(await countOf('category', 'misconfiguration')).toBe('1');
    expect(await countOf('category', 'data_at_risk')).toBe('1');
    // Other fields count under the pick: only the one event type.
    expect(await page.locator('.facet[data-field="event_type"]').count()).toBe(1);

    await facet('category', 'misconfiguration').click();
    const both = 'category:data_at_risk category:misconfiguration';
    await waitForList(page, both);
    expect(await page.locator('.search__input').inputValue()).toBe(both);
    expect(new URL(page.url()).searchParams.get('q')).toBe(both);
    expect(await rowIds(page)).toEqual([misconf, risk]);
    expect(await facet('category', 'data_at_risk').getAttribute('aria-pressed')).toBe('true');
    expect(await facet('category', 'misconfiguration').getAttribute('aria-pressed')).toBe('true');
    expect(await facet('category', 'other').getAttribute('aria-pressed')).toBe('false');
    await page.waitForFunction(() => document.querySelector('[data-testid="match-count"]')?.textContent?.trim() === '2 matching');
    expect(await countOf('category', 'other')).toBe('1');

    // The ticked box's mark against its fill: WCAG AA in light and dark.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const [mark] = await contrastRatios(facet('category', 'data_at_risk').locator('.facet__mark'));
      expect(mark!.text).toContain('✓');
      expect(mark!.ratio, scheme).toBeGreaterThanOrEqual(4.5);
    }

    // Unticking one leaves the other.
    await facet('category', 'data_at_risk').click();
    await waitForList(page, 'category:misconfiguration');
    expect(await rowIds(page)).toEqual([misconf]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
