// A delivery posted to the receiver shows up in the open page without a reload; the page
// rides out a server restart on the same ports and database and resumes without gaps or
// duplicates.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, rowIds, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();

const event = (title: string, type = 'discovery_complete') => ({ title, category: 'Other', event_type: type, sensitivity: 'Low' });

describe('live list', () => {
  it('shows the newcomer help, then a posted delivery without reload', async () => {
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain(`curl -X POST ${e2e.inspector.receiverUrl}`);
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));

    const id = await postEvent(e2e.inspector.receiverUrl, event('First delivery'));
    const row = page.locator(`.row[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator('.row__title').textContent()).toBe('First delivery');
    // Same document: nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);

    const second = await postEvent(e2e.inspector.receiverUrl, event('Second delivery'));
    await page.locator(`.row[data-id="${second}"]`).waitFor();
    expect(await rowIds(page)).toEqual([second, id]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('holds arrivals while paused and adds them on resume', async () => {
    const { page } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    await page.getByRole('button', { name: 'Pause' }).click();
    const id = await postEvent(e2e.inspector.receiverUrl, event('While paused'));
    await page.locator('[data-status="paused"]', { hasText: '1 new' }).waitFor();
    expect(await page.locator(`.row[data-id="${id}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.locator(`.row[data-id="${id}"]`).waitFor();
    expect((await rowIds(page))[0]).toBe(id);
    await page.close();
  });

  it('survives a server restart and resumes without gaps or duplicates', async () => {
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const before = await rowIds(page);
    const a = await postEvent(e2e.inspector.receiverUrl, event('Before restart'));
    await page.locator(`.row[data-id="${a}"]`).waitFor();

    await e2e.inspector.restart();
    // Posted while the page is still reconnecting: it must arrive from the backlog.
    const b = await postEvent(e2e.inspector.receiverUrl, event('During reconnect'));
    await page.locator(`.row[data-id="${b}"]`).waitFor({ timeout: 20_000 });
    await page.locator('[data-status="live"]').waitFor();
    const c = await postEvent(e2e.inspector.receiverUrl, event('After restart'));
    await page.locator(`.row[data-id="${c}"]`).waitFor();

    const ids = await rowIds(page);
    expect(ids).toEqual([c, b, a, ...before]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(errors).toEqual([]);
    await page.close();
  });
});
