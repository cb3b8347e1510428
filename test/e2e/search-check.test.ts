// The search box names an unknown field or a bad value inline as the user types, and the
// note goes away once the query reads fine.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

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
});
