// The search box names an unknown field or a bad value inline as the user types, and the
// note goes away once the query reads fine; it completes fields, then values, by keyboard
// (an ARIA combobox) and by mouse.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';
import { contrastRatios } from './contrast.ts';

const e2e = useE2eFixture();

describe('search box check', () => {
  it('names an unknown field and a bad value inline', async () => {
    await postEvent(e2e.inspector.receiverUrl, { title: 'One', category: 'Other', event_type: 'discovery_complete' });
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const box = page.getByLabel('Search deliveries');
    const note = page.getByTestId('search-problem');
    await box.fill('evnt_type:discovery_complete');
    await note.waitFor();
    expect(await note.textContent()).toContain('unknown field "evnt_type:"');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await box.fill('sig:good');
    await page.waitForFunction(() => document.querySelector('[data-testid="search-problem"]')?.textContent?.startsWith('sig: expects valid'));
    await box.fill('event_type:discovery_complete');
    await note.waitFor({ state: 'detached' });
    expect(await box.getAttribute('aria-invalid')).toBe('false');
    await waitForList(page, 'event_type:discovery_complete');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('completes a field, then its value, from the keyboard and the mouse', async () => {
    await postEvent(e2e.inspector.receiverUrl, { title: 'Two', category: 'Data at risk', event_type: 'policy_violation' });
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const box = page.getByRole('combobox', { name: 'Search deliveries' });
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await box.click();
    await page.keyboard.type('even');
    await list.waitFor();
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await list.getByRole('option').allTextContents()).toEqual(['event_type:field']);
    await page.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe('search-suggestion-0');
    expect(await list.getByRole('option').first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('.search__input') as HTMLInputElement).value === 'event_type:');
    // Values next: the counted ones first, with their counts.
    await list.getByRole('option').first().waitFor();
    expect(await list.getByRole('option').first().textContent()).toMatch(/^(policy_violation|discovery_complete)1$/);
    await page.keyboard.type('pol');
    await page.waitForFunction(() => document.querySelectorAll('#search-suggestions [role="option"]')[0]?.textContent?.startsWith('policy_violation'));
    await page.keyboard.press('ArrowDown');
    // The list, an active option among them, reads at WCAG AA in both schemes.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const ratios = await contrastRatios(list.locator('.search__suggestion-label, .search__suggestion-note'));
      expect(ratios.length).toBeGreaterThan(1);
      for (const r of ratios) expect(r.ratio, `${scheme}: ${r.text}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Tab');
    expect(await box.inputValue()).toBe('event_type:policy_violation ');
    await waitForList(page, 'event_type:policy_violation');
    // Esc closes the list and keeps the text; the box still has focus.
    await page.keyboard.type('-s');
    await list.waitFor();
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    // Mouse: a click on an option takes it.
    await page.keyboard.type('i');
    await list.getByRole('option').filter({ hasText: /^sig:/ }).click();
    expect(await box.inputValue()).toBe('event_type:policy_violation -sig:');
    await list.getByRole('option').filter({ hasText: /^valid/ }).first().click();
    expect(await box.inputValue()).toBe('event_type:policy_violation -sig:valid ');
    expect(errors).toEqual([]);
    await page.close();
  });
});
