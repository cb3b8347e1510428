// A delivery posted to the receiver shows up in the open page without a reload; the page
// rides out a server restart on the same ports and database and resumes without gaps or
// duplicates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { ensureUiBuilt, launchBrowser, openPage, postEvent, rowIds, waitForList } from './browser.ts';

let browser: Browser;
let inspector: TestInspector;

beforeAll(async () => {
  await ensureUiBuilt();
  browser = await launchBrowser();
  inspector = await startTestInspector();
});
afterAll(async () => {
  await browser?.close();
  await inspector?.close();
});

const event = (title: string, type = 'discovery_complete') => ({ title, category: 'Other', event_type: type, sensitivity: 'Low' });

describe('live list', () => {
  it('shows the newcomer help, then a posted delivery without reload', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain(`curl -X POST ${inspector.receiverUrl}`);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));

    const id = await postEvent(inspector.receiverUrl, event('First delivery'));
    const row = page.locator(`.row[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator('.row__title').textContent()).toBe('First delivery');
    // Same document: nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);

    const second = await postEvent(inspector.receiverUrl, event('Second delivery'));
    await page.locator(`.row[data-id="${second}"]`).waitFor();
    expect(await rowIds(page)).toEqual([second, id]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('holds arrivals while paused and adds them on resume', async () => {
    const { page } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    await page.getByRole('button', { name: 'Pause' }).click();
    const id = await postEvent(inspector.receiverUrl, event('While paused'));
    await page.locator('[data-status="paused"]', { hasText: '1 new' }).waitFor();
    expect(await page.locator(`.row[data-id="${id}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator(`.row[data-id="${id}"]`).waitFor();
    expect((await rowIds(page))[0]).toBe(id);
    await page.close();
  });

  it('survives a server restart and resumes without gaps or duplicates', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    const before = await rowIds(page);
    const a = await postEvent(inspector.receiverUrl, event('Before restart'));
    await page.locator(`.row[data-id="${a}"]`).waitFor();

    await inspector.restart();
    // Posted while the page is still reconnecting: it must arrive from the backlog.
    const b = await postEvent(inspector.receiverUrl, event('During reconnect'));
    await page.locator(`.row[data-id="${b}"]`).waitFor({ timeout: 20_000 });
    await page.locator('[data-status="live"]').waitFor();
    const c = await postEvent(inspector.receiverUrl, event('After restart'));
    await page.locator(`.row[data-id="${c}"]`).waitFor();

    const ids = await rowIds(page);
    expect(ids).toEqual([c, b, a, ...before]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(errors).toEqual([]);
    await page.close();
  });
});
