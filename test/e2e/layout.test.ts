// The layout from 800 px to 2,560 px: no horizontal page scrollbar, the open delivery's
// actions visible, facets in a drawer below ~1,100 px; and counts read "1 delivery".
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();

/** True when the page scrolls sideways: its content is wider than the window. */
function scrollsSideways(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
}

/** Every action button of the open delivery lies fully inside the window. */
async function actionsVisible(page: Page, id: number): Promise<string[]> {
  return page.evaluate((openId) => {
    const out: string[] = [];
    const buttons = document.querySelectorAll(`.detail[data-id="${openId}"] .detail__actions > *`);
    for (const b of buttons) {
      const r = b.getBoundingClientRect();
      const inside = r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight;
      if (inside) out.push(b.textContent ?? '');
    }
    return out;
  }, id);
}

describe('layout', () => {
  it('fits 800, 1,024, 1,920 and 2,560 px wide with no horizontal scrollbar', async () => {
    const id = await postEvent(e2e.inspector.receiverUrl, {
      title: 'A long title that must wrap or cut rather than widen the page '.repeat(4),
      category: 'Data at risk',
      event_type: 'policy_violation_with_a_very_long_unknown_suffix_that_keeps_going',
      sensitivity: 'High',
    });
    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    await waitForList(page);
    await page.locator(`.detail[data-id="${id}"]`).waitFor();
    for (const width of [800, 1024, 1920, 2560]) {
      await page.setViewportSize({ width, height: 900 });
      const { scroll, client } = await scrollsSideways(page);
      expect(scroll, `${width} px`).toBeLessThanOrEqual(client);
      expect(await actionsVisible(page, id), `${width} px`).toEqual(['Replay…', 'Replay with changes…', 'Copy as cURL', 'Download raw', '', 'Delete']);
      const facets = page.locator('aside.facets');
      const toggle = page.getByTestId('filters-button');
      if (width < 1100) {
        // A drawer: hidden until asked for, then over the list, closed again by Esc.
        await facets.waitFor({ state: 'hidden' });
        expect(await toggle.isVisible()).toBe(true);
        await toggle.click();
        await facets.locator('.facet[data-field="event_type"]').first().waitFor({ state: 'visible' });
        expect((await scrollsSideways(page)).scroll).toBeLessThanOrEqual(width);
        await page.keyboard.press('Escape');
        await facets.waitFor({ state: 'hidden' });
      } else {
        expect(await facets.isVisible(), `${width} px`).toBe(true);
        expect(await toggle.isVisible()).toBe(false);
      }
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says "1 delivery", then "2 deliveries"', async () => {
    // The first test stored exactly one delivery.
    const health = (await (await fetch(new URL('/api/health', e2e.inspector.uiUrl))).json()) as { deliveries: number };
    expect(health.deliveries).toBe(1);
    const { page } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const count = page.getByTestId('match-count');
    await page.waitForFunction(() => /^1 delivery$/.test(document.querySelector('[data-testid="match-count"]')?.textContent?.trim() ?? ''));
    await postEvent(e2e.inspector.receiverUrl, { title: 'Second', category: 'Other', event_type: 'discovery_complete' });
    await page.waitForFunction(() => document.querySelector('[data-testid="match-count"]')?.textContent?.trim() === '2 deliveries');
    expect((await count.textContent())!.trim()).toBe('2 deliveries');
    await page.close();
  });
});
