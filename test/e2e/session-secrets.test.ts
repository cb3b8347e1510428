// Tokens typed in the dialogs, and the last signing mode, are remembered for the browser
// session (sessionStorage): a reload keeps them, a new browser profile starts empty, and no
// request carries them but the one the user makes with them.
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { signBody } from '../../server/soveren/signature.ts';
import { postEvent, useE2eFixture, waitForList } from './browser.ts';

const SERVER_TOKEN = 'server-side-token';
const TYPED = 'typed-token-4f1c9e';
const SEND_TYPED = 'send-token-77ab';
const e2e = useE2eFixture({ tokens: [SERVER_TOKEN] });

/** Every request the page makes, with its body, to find where a secret travelled. */
function recordRequests(page: Page): { url: string; headers: string; body: string }[] {
  const seen: { url: string; headers: string; body: string }[] = [];
  page.on('request', (r: Request) => seen.push({ url: r.url(), headers: JSON.stringify(r.headers()), body: r.postData() ?? '' }));
  return seen;
}

async function newPage(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const requests = recordRequests(page);
  await page.goto(url);
  await waitForList(page);
  return { page, errors, requests };
}

describe('session secrets', () => {
  it('keeps typed tokens and the signing mode across a reload, not in a new profile, and sends them only with the action', async () => {
    const body = JSON.stringify({ title: 'Remember', category: 'Other', event_type: 'discovery_complete' });
    const id = await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, SERVER_TOKEN) } });
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const { page, errors, requests } = await newPage(context, `${e2e.inspector.uiUrl}?id=${id}`);
    const detail = page.locator(`.detail[data-id="${id}"]`);

    // Replay dialog: choose a fresh signature and type a token, then close without replaying.
    await detail.getByRole('button', { name: 'Replay…' }).click();
    let dialog = page.getByTestId('replay-dialog');
    expect(await dialog.getByLabel('Keep the received signature').isChecked()).toBe(true);
    await dialog.getByLabel('Fresh signature').check();
    await dialog.getByLabel('Token', { exact: true }).fill(TYPED);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Send dialog: its own token field.
    await page.getByRole('group', { name: 'Sender tools' }).getByRole('button', { name: 'Send test events' }).click();
    await page.locator('#send-token').fill(SEND_TYPED);
    await page.keyboard.press('Escape');

    await page.reload();
    await waitForList(page);
    await detail.getByRole('button', { name: 'Replay…' }).click();
    dialog = page.getByTestId('replay-dialog');
    expect(await dialog.getByLabel('Fresh signature').isChecked()).toBe(true);
    expect(await dialog.getByLabel('Token', { exact: true }).inputValue()).toBe(TYPED);
    await page.keyboard.press('Escape');
    await page.getByRole('group', { name: 'Sender tools' }).getByRole('button', { name: 'Send test events' }).click();
    expect(await page.locator('#send-token').inputValue()).toBe(SEND_TYPED);
    await page.keyboard.press('Escape');
    await page.locator('#send-token').waitFor({ state: 'detached' });
    // In sessionStorage only: not in localStorage, the URL, or any request so far.
    const storage = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
    expect(storage.session).toContain(TYPED);
    expect(storage.local).not.toContain(TYPED);
    expect(storage.local).not.toContain(SEND_TYPED);
    expect(page.url()).not.toContain(TYPED);
    const leaked = requests.filter((r) => `${r.url} ${r.headers} ${r.body}`.includes(TYPED) || `${r.url} ${r.headers} ${r.body}`.includes(SEND_TYPED));
    expect(leaked).toEqual([]);

    // Replaying with it: that one request carries it, in its JSON body.
    await detail.getByRole('button', { name: 'Replay…' }).click();
    dialog = page.getByTestId('replay-dialog');
    await dialog.getByLabel('Target URL').fill(`${e2e.inspector.receiverUrl.replace(/\/$/, '')}/again`);
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    await dialog.getByTestId('attempt-outcome').waitFor();
    const carrying = requests.filter((r) => `${r.url} ${r.headers} ${r.body}`.includes(TYPED));
    expect(carrying.map((r) => new URL(r.url).pathname)).toEqual([`/api/deliveries/${id}/replay`]);
    expect(JSON.parse(carrying[0]!.body).token).toBe(TYPED);

    // A new profile (another browser context) starts with nothing remembered.
    const fresh = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const other = await newPage(fresh, `${e2e.inspector.uiUrl}?id=${id}`);
    await other.page.locator(`.detail[data-id="${id}"]`).getByRole('button', { name: 'Replay…' }).click();
    const otherDialog = other.page.getByTestId('replay-dialog');
    expect(await otherDialog.getByLabel('Keep the received signature').isChecked()).toBe(true);
    await otherDialog.getByLabel('Fresh signature').check();
    expect(await otherDialog.getByLabel('Token', { exact: true }).inputValue()).toBe('');
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await fresh.close();
    await context.close();
  });
});
