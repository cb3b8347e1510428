// Detail actions and destructive operations: copy as cURL, delete one, delete matching
// the filter and clear all, each behind a confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signBody } from '../../server/soveren/signature.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { ensureUiBuilt, launchBrowser, postEvent, rowIds, waitForList } from './browser.ts';

const TOKEN = 'actions-token';
let browser: Browser;
let inspector: TestInspector;

beforeAll(async () => {
  await ensureUiBuilt();
  browser = await launchBrowser();
  inspector = await startTestInspector({ tokens: [TOKEN] });
});
afterAll(async () => {
  await browser?.close();
  await inspector?.close();
});

const signed = (title: string, type: string) => {
  const body = JSON.stringify({ title, category: 'Other', event_type: type, sensitivity: 'Low' });
  return { body, headers: { 'x-soveren-signature': signBody(body, TOKEN) } };
};

describe('actions', () => {
  it('copies a curl command that reproduces the delivery, signature included', async () => {
    const { body, headers } = signed('Copy me', 'discovery_complete');
    const id = await postEvent(inspector.receiverUrl, body, { headers });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(inspector.uiUrl).origin });
    const page = await context.newPage();
    await page.goto(`${inspector.uiUrl}?id=${id}`);
    await page.locator(`.detail[data-id="${id}"]`).waitFor();
    await page.getByRole('button', { name: 'Copy as cURL' }).click();
    await page.getByRole('status').filter({ hasText: 'copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('curl');
    expect(copied).toContain(headers['x-soveren-signature']);
    expect(await page.locator(`.detail a[href$="/api/deliveries/${id}/raw"]`).count()).toBe(1);
    await context.close();
  });

  it('deletes one, then the matching ones, then everything, each only once confirmed', async () => {
    const keep = await postEvent(inspector.receiverUrl, signed('Keep', 'new_data_type').body);
    const drop = await postEvent(inspector.receiverUrl, signed('Drop', 'policy_violation').body);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(inspector.uiUrl);
    await waitForList(page);

    await page.locator(`.row[data-id="${drop}"]`).click();
    await page.locator(`.detail[data-id="${drop}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator(`.row[data-id="${drop}"]`).count()).toBe(1);
    await page.locator(`.detail[data-id="${drop}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm').click();
    await page.locator(`.row[data-id="${drop}"]`).waitFor({ state: 'detached' });
    expect((await fetch(new URL(`/api/deliveries/${drop}`, inspector.uiUrl))).status).toBe(404);

    await page.goto(`${inspector.uiUrl}?q=event_type:new_data_type`);
    await waitForList(page, 'event_type:new_data_type');
    expect(await rowIds(page)).toEqual([keep]);
    await page.getByRole('button', { name: 'Delete matching' }).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('no-matches').waitFor();
    expect((await fetch(new URL(`/api/deliveries/${keep}`, inspector.uiUrl))).status).toBe(404);

    await page.getByRole('button', { name: 'Clear the filter' }).click();
    await waitForList(page, '');
    expect((await rowIds(page)).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.keyboard.press('Escape');
    expect((await rowIds(page)).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('empty-state').waitFor();
    const health = (await (await fetch(new URL('/api/health', inspector.uiUrl))).json()) as { deliveries: number };
    expect(health.deliveries).toBe(0);
    await page.close();
  });
});
