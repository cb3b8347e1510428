// Detail actions and destructive operations: copy as cURL, delete one, delete matching
// the filter and clear all, each behind a confirmation.
import { describe, expect, it } from 'vitest';
import { signBody } from '../../server/soveren/signature.ts';
import { postEvent, rowIds, useE2eFixture, waitForList } from './browser.ts';

const TOKEN = 'actions-token';
const e2e = useE2eFixture({ tokens: [TOKEN] });

const signed = (title: string, type: string) => {
  const body = JSON.stringify({ title, category: 'Other', event_type: type, sensitivity: 'Low' });
  return { body, headers: { 'x-soveren-signature': signBody(body, TOKEN) } };
};

describe('actions', () => {
  it('copies a curl command that reproduces the delivery, signature included', async () => {
    const { body, headers } = signed('Copy me', 'discovery_complete');
    const id = await postEvent(e2e.inspector.receiverUrl, body, { headers });
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e2e.inspector.uiUrl).origin });
    const page = await context.newPage();
    await page.goto(`${e2e.inspector.uiUrl}?id=${id}`);
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
    const keep = await postEvent(e2e.inspector.receiverUrl, signed('Keep', 'new_data_type').body);
    const drop = await postEvent(e2e.inspector.receiverUrl, signed('Drop', 'policy_violation').body);
    const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(e2e.inspector.uiUrl);
    await waitForList(page);

    await page.locator(`.row[data-id="${drop}"]`).click();
    await page.locator(`.detail[data-id="${drop}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator(`.row[data-id="${drop}"]`).count()).toBe(1);
    await page.locator(`.detail[data-id="${drop}"]`).getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm').click();
    await page.locator(`.row[data-id="${drop}"]`).waitFor({ state: 'detached' });
    expect((await fetch(new URL(`/api/deliveries/${drop}`, e2e.inspector.uiUrl))).status).toBe(404);

    await page.goto(`${e2e.inspector.uiUrl}?q=event_type:new_data_type`);
    await waitForList(page, 'event_type:new_data_type');
    expect(await rowIds(page)).toEqual([keep]);
    await page.getByRole('button', { name: 'Delete matching' }).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('no-matches').waitFor();
    expect((await fetch(new URL(`/api/deliveries/${keep}`, e2e.inspector.uiUrl))).status).toBe(404);

    await page.getByRole('button', { name: 'Clear the filter' }).click();
    await waitForList(page, '');
    expect((await rowIds(page)).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.keyboard.press('Escape');
    expect((await rowIds(page)).length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('empty-state').waitFor();
    const health = (await (await fetch(new URL('/api/health', e2e.inspector.uiUrl))).json()) as { deliveries: number };
    expect(health.deliveries).toBe(0);
    await page.close();
  });
});
