// The splitter between list and detail: dragged or moved with the arrow keys, remembered
// across reloads (localStorage), clamped so a narrow window never scrolls sideways.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { postEvent, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();

const listWidth = (page: Page) => page.evaluate(() => Math.round(document.querySelector('main.middle')!.getBoundingClientRect().width));

describe('list/detail splitter', () => {
  it('resizes by drag and by keyboard, and remembers the width across reloads', async () => {
    const id = await postEvent(e2e.inspector.receiverUrl, { title: 'Split', category: 'Other', event_type: 'discovery_complete' });
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.inspector.uiUrl}?id=${id}`);
    await waitForList(page);
    const splitter = page.getByRole('separator', { name: 'Resize the list and the detail' });
    const before = await listWidth(page);

    // Drag 120 px to the right.
    const box = (await splitter.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + 200, { steps: 4 });
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + 200, { steps: 4 });
    await page.mouse.up();
    const dragged = await listWidth(page);
    expect(Math.abs(dragged - (before + 120))).toBeLessThanOrEqual(2);

    // Keyboard: two steps left of 16 px, then one of 64 with Shift.
    await splitter.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    const keyed = await listWidth(page);
    expect(Math.abs(keyed - (dragged - 96)), `${before} ${dragged} ${keyed}`).toBeLessThanOrEqual(2);
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBe(keyed);

    await page.reload();
    await waitForList(page);
    expect(await listWidth(page)).toBe(keyed);

    // As wide as it goes, then a narrow window: clamped, the detail keeps its room, no sideways scroll.
    await splitter.focus();
    await page.keyboard.press('End');
    expect(await listWidth(page)).toBe(1440 - 250 - 400);
    await page.setViewportSize({ width: 800, height: 800 });
    expect(await listWidth(page)).toBe(400);
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(fits).toBe(true);
    expect(await page.locator(`.detail[data-id="${id}"]`).getByRole('button', { name: 'Delete' }).isVisible()).toBe(true);

    // Another browser profile starts from the default width.
    const fresh = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const other = await fresh.newPage();
    await other.goto(e2e.inspector.uiUrl);
    await waitForList(other);
    expect(await listWidth(other)).toBe(before);
    expect(errors).toEqual([]);
    await fresh.close();
    await context.close();
  });
});
