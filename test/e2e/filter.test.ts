// Filtering: a facet click and a `?q=` URL both filter the list and show in the address
// bar; Alt-click excludes; back restores; live arrivals respect the filter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { ensureUiBuilt, launchBrowser, openPage, postEvent, rowIds, waitForList } from './browser.ts';

let browser: Browser;
let inspector: TestInspector;
const violations: number[] = [];
const discoveries: number[] = [];

const event = (type: string, category: string, i: number) => ({ title: `${type} ${i}`, category, event_type: type, sensitivity: 'High' });

beforeAll(async () => {
  await ensureUiBuilt();
  browser = await launchBrowser();
  inspector = await startTestInspector();
  for (let i = 0; i < 3; i++) discoveries.push(await postEvent(inspector.receiverUrl, event('discovery_complete', 'Other', i)));
  for (let i = 0; i < 2; i++) violations.push(await postEvent(inspector.receiverUrl, event('policy_violation', 'Policy violation', i)));
});
afterAll(async () => {
  await browser?.close();
  await inspector?.close();
});

const q = (page: Page) => new URL(page.url()).searchParams.get('q');
const desc = (ids: number[]) => [...ids].sort((a, b) => b - a);

describe('filtering', () => {
  it('filters by a facet click, excludes with Alt-click, and goes back', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    expect(await rowIds(page)).toEqual(desc([...violations, ...discoveries]));

    await page.locator('.facet[data-field="event_type"][data-value="policy_violation"]').click();
    await waitForList(page, 'event_type:policy_violation');
    expect(q(page)).toBe('event_type:policy_violation');
    expect(await rowIds(page)).toEqual(desc(violations));
    expect(await page.locator('.search__input').inputValue()).toBe('event_type:policy_violation');
    expect(await page.locator('.facet[data-value="policy_violation"]').getAttribute('aria-pressed')).toBe('true');

    // Clicking the active value again removes it.
    await page.locator('.facet[data-field="event_type"][data-value="policy_violation"]').click();
    await waitForList(page, '');
    expect(q(page)).toBeNull();

    await page.locator('.facet[data-field="event_type"][data-value="discovery_complete"]').click({ modifiers: ['Alt'] });
    await waitForList(page, '-event_type:discovery_complete');
    expect(q(page)).toBe('-event_type:discovery_complete');
    expect(await rowIds(page)).toEqual(desc(violations));

    await page.goBack();
    await waitForList(page, '');
    expect(q(page)).toBeNull();
    await page.goBack();
    await waitForList(page, 'event_type:policy_violation');
    expect(await rowIds(page)).toEqual(desc(violations));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('applies ?q= from the URL, including any category naming form', async () => {
    const { page } = await openPage(browser, `${inspector.uiUrl}?q=${encodeURIComponent('category:"Data at risk"')}`);
    await waitForList(page, 'category:"Data at risk"');
    expect(await rowIds(page)).toEqual(desc(violations));
    expect(await page.locator('.facet[data-field="category"][data-value="data_at_risk"]').getAttribute('aria-pressed')).toBe('true');
    await page.close();
  });

  it('filters from the search box and streams only matching arrivals', async () => {
    const { page } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    await page.keyboard.press('/');
    await page.keyboard.type('event_type:discovery_complete');
    await page.keyboard.press('Enter');
    await waitForList(page, 'event_type:discovery_complete');
    expect(q(page)).toBe('event_type:discovery_complete');
    expect(await rowIds(page)).toEqual(desc(discoveries));

    const other = await postEvent(inspector.receiverUrl, event('policy_violation', 'Data at risk', 9));
    const match = await postEvent(inspector.receiverUrl, event('discovery_complete', 'Other', 9));
    await page.locator(`.row[data-id="${match}"]`).waitFor();
    expect(await page.locator(`.row[data-id="${other}"]`).count()).toBe(0);
    expect(await rowIds(page)).toEqual(desc([...discoveries, match]));
    violations.push(other);
    discoveries.push(match);
    await page.close();
  });
});
