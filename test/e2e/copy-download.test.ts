// Download raw saves under a fitting extension (.json for a JSON body, .txt for other text),
// byte for byte; Copy body and each JSON row's copy-value / copy-path buttons put exactly
// that text on the clipboard (read back through the Clipboard API in Chromium).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { postEvent, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();

async function openWithClipboard(url: string) {
  const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  return { context, page, errors, clipboard };
}

describe('download raw and copy', () => {
  it('downloads a JSON body as .json and a text body as .txt, exactly as received', async () => {
    const json = '{"title":"Raw","category":"Other","event_type":"discovery_complete","n":1.50}';
    const jsonId = await postEvent(e2e.inspector.receiverUrl, json);
    const textId = await postEvent(e2e.inspector.receiverUrl, 'plain words, not JSON', { headers: { 'content-type': 'text/plain' } });
    for (const [id, name, body] of [[jsonId, `delivery-${jsonId}.json`, json], [textId, `delivery-${textId}.txt`, 'plain words, not JSON']] as const) {
      const { context, page, errors } = await openWithClipboard(`${e2e.inspector.uiUrl}?id=${id}`);
      await waitForList(page);
      await page.locator(`.detail[data-id="${id}"]`).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download raw' }).click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(await readFile((await download.path())!, 'utf8')).toBe(body);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('copies the body, a JSON value and a JSON path', async () => {
    const body = '{"title":"Copy me","category":"Other","event_type":"discovery_complete","resource":{"name":"bucket-1","tags":["a","b"],"odd key":2.50}}';
    const id = await postEvent(e2e.inspector.receiverUrl, body);
    const { context, page, errors, clipboard } = await openWithClipboard(`${e2e.inspector.uiUrl}?id=${id}`);
    await waitForList(page);
    const detail = page.locator(`.detail[data-id="${id}"]`);
    await detail.getByTestId('json-tree').waitFor();

    await detail.getByTestId('copy-body').click();
    await page.getByRole('status').filter({ hasText: 'Body copied' }).waitFor();
    expect(await clipboard()).toBe(body);

    const copy = async (label: string) => {
      const button = detail.getByRole('button', { name: label, exact: true });
      // A sentinel first, so the read below waits for this copy and not the one before.
      await page.evaluate(() => navigator.clipboard.writeText('(sentinel)'));
      await button.hover();
      await button.click();
      await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== '(sentinel)');
      return clipboard();
    };
    expect(await copy('Copy value of .resource.name')).toBe('bucket-1');
    expect(await copy('Copy path .resource.tags[1]')).toBe('.resource.tags[1]');
    expect(await copy('Copy path .resource["odd key"]')).toBe('.resource["odd key"]');
    expect(await copy('Copy value of .resource["odd key"]')).toBe('2.50');
    expect(JSON.parse(await copy('Copy value of .resource'))).toEqual(JSON.parse(body).resource);
    // Keyboard: the buttons are reachable by Tab and work with Enter.
    await detail.getByRole('button', { name: 'Copy path .title', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(async () => (await navigator.clipboard.readText()) === '.title');
    expect(errors).toEqual([]);
    await context.close();
  });
});
