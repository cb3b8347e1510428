// The UI follows the system colour scheme, and in both the light and the dark theme every
// badge, title, JSON value and secondary text stays readable: WCAG AA contrast (4.5:1),
// measured on the colours Chromium computes, translucent tints included.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signBody } from '../../server/soveren/signature.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';
import { contrasts } from './contrast.ts';

const TOKEN = 'theme-token';
const e2e = useE2eFixture({ tokens: [TOKEN] });

/** Mark every visible element with text of its own (enabled controls too) as data-text. */
async function markVisibleText(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-text]')) el.removeAttribute('data-text');
    for (const el of document.querySelectorAll('*')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
      if (ownText && (el as HTMLElement).offsetParent !== null && !(el as HTMLButtonElement).disabled) el.setAttribute('data-text', '');
    }
  });
}

describe('colour scheme', () => {
  it('turns dark under a dark scheme, and both themes stay readable', async () => {
    const events = [
      { title: 'Risky', category: 'Data at risk', event_type: 'policy_violation', sensitivity: 'High' },
      { title: 'Infra', category: 'Infrastructure updates', event_type: 'new_data_type', sensitivity: 'Low' },
      { title: 'Misconf', category: 'Misconfiguration', event_type: 'policy_public_s3_bucket', sensitivity: 'Medium' },
      { title: 'Other', category: 'Other', event_type: 'discovery_complete', sensitivity: 'Low' },
    ];
    let last = 0;
    for (const event of events) {
      const body = JSON.stringify(event);
      last = await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, TOKEN) } });
    }
    const forged = await fetch(e2e.inspector.receiverUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-soveren-signature': signBody('{}', TOKEN) }, body: '{"title":"Forged"}',
    });
    expect(forged.status).toBe(401);

    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${last}`);
    await page.emulateMedia({ colorScheme: 'light' });
    await waitForList(page);
    await page.locator(`.detail[data-id="${last}"]`).waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // Header, facets, chart legend, list rows, the open delivery's summary, verdict, JSON tree and headers.
    await markVisibleText(page);
    const expectReadable = async () => {
      const checked = await contrasts(page, '[data-text]');
      expect(checked.length).toBeGreaterThan(150);
      for (const c of checked) expect(c.ratio, c.text).toBeGreaterThanOrEqual(4.5);
      // The signature verdicts both ways, and all four category tones, were among them.
      const texts = checked.map((c) => c.text).join('\n');
      for (const tone of ['sig valid', 'sig invalid', 'Data at risk', 'Infrastructure updates', 'Misconfiguration', 'Other', 'High', 'Medium', 'Low']) {
        expect(texts).toContain(tone);
      }
    };
    expect(await background()).toBe('rgb(244, 245, 247)');
    await expectReadable();

    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).toBe('rgb(15, 18, 24)');
    await expectReadable();

    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(244, 245, 247)');
    expect(errors).toEqual([]);
  });

  it('keeps the dialogs readable in both themes: send (with its results), forwarding, check, replay, bulk replay, coverage', async () => {
    const body = JSON.stringify({ title: 'To replay', category: 'Other', event_type: 'discovery_complete' });
    await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, TOKEN) } });
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const tools = page.getByRole('group', { name: 'Sender tools' });
    const dialogs: [string, () => Promise<void>][] = [
      ['send', async () => {
        await tools.getByRole('button', { name: 'Send test events' }).click();
        await page.locator('.modal').getByRole('button', { name: 'Send', exact: true }).click();
        await page.locator('.modal').getByText('All 29 requests answered 2xx').waitFor();
      }],
      ['forwarding', () => tools.getByRole('button', { name: 'Forwarding' }).click()],
      ['check', () => tools.getByRole('button', { name: 'Check connector' }).click()],
      ['replay', async () => {
        await page.locator('.list .row').first().click();
        await page.locator('.detail').getByRole('button', { name: 'Replay…' }).click();
      }],
      ['bulk replay', () => page.getByRole('button', { name: 'Replay all…' }).click()],
      ['coverage', async () => {
        await page.getByTestId('coverage-button').click();
        await page.getByTestId('coverage-table').waitFor();
      }],
    ];
    for (const [dialog, open] of dialogs) {
      await open();
      const modal = page.locator('.modal');
      await modal.waitFor();
      await markVisibleText(page);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const checked = await contrasts(page, '.modal [data-text]');
        expect(checked.length, dialog).toBeGreaterThan(5);
        for (const c of checked) expect(c.ratio, `${dialog}, ${scheme}: ${c.text}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await page.keyboard.press('Escape');
      await modal.waitFor({ state: 'detached' });
    }
    expect(errors).toEqual([]);
  });
});
