// A dialog answers Esc from the moment it is on screen: its key handler is in place before the
// first paint (a layout effect), not a frame later, when an Esc pressed quickly was lost and
// the dialog stayed open over the page.
import { describe, expect, it } from 'vitest';
import { openPage, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();

describe('modal dialogs', () => {
  it('close on an Esc pressed in the same turn they open', async () => {
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    for (let i = 0; i < 5; i++) {
      const stillOpen = await page.evaluate(async () => {
        const open = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Send');
        open!.click();
        // Past the render (a task later), but before the next animation frame.
        await new Promise((r) => setTimeout(r, 0));
        if (!document.querySelector('[role="dialog"]')) return 'not rendered';
        document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        await new Promise((r) => setTimeout(r, 50));
        return document.querySelector('[role="dialog"]') !== null;
      });
      expect(stillOpen, `round ${i}`).toBe(false);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
