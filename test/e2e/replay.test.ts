// Replay from the browser: one delivery byte for byte with its received signature, one
// "with changes" (edited JSON, re-signed with a typed token), and a bulk replay of the
// current filter with live progress. An independent node:http target checks what arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdStill } from '../helpers/wait.ts';
import type { Browser, Page } from 'playwright-core';
import { signBody } from '../../server/soveren/signature.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { header, octokitValid, startTarget, type Target } from '../integration/sender-target.ts';
import { ensureUiBuilt, launchBrowser, openPage, postEvent, waitForList } from './browser.ts';

const TOKEN = 'replay-e2e-token';
const FRESH = 'connector-token-typed-in-the-page';
let browser: Browser;
let inspector: TestInspector;
let target: Target;

beforeAll(async () => {
  await ensureUiBuilt();
  browser = await launchBrowser();
  inspector = await startTestInspector({ tokens: [TOKEN] });
  target = await startTarget(() => ({ status: 202, body: '{"accepted":true,"note":"<img src=x onerror=alert(1)>"}' }));
});
afterAll(async () => {
  await browser?.close();
  await inspector?.close();
  await target?.close();
});

/** Exact bytes worth keeping: odd spacing, key order, escapes and non-ASCII text. */
const BODY = '{ "title":"Replay me — ünïcode","category" : "Data at risk","event_type":"policy_violation","sensitivity":"High","x":"\\u003c/script\\u003e" }';

async function openDelivery(page: Page, id: number): Promise<void> {
  await page.goto(`${inspector.uiUrl}?id=${id}`);
  await page.locator(`.detail[data-id="${id}"]`).waitFor();
  await page.locator('[data-status="live"]').waitFor();
}

/** Nothing the user typed as a token may end up in the URL or in lasting storage. */
async function expectTokenNowhere(page: Page, token: string): Promise<void> {
  expect(page.url()).not.toContain(token);
  // Only this tab's sessionStorage may keep it (remembered for the session by design, issue 15 section 6).
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).not.toContain(token);
}

describe('replay', () => {
  it('replays a delivery byte for byte with its received signature; the attempt shows in the detail', async () => {
    const signature = signBody(BODY, TOKEN);
    const id = await postEvent(inspector.receiverUrl, BODY, { headers: { 'x-soveren-signature': signature } });
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await openDelivery(page, id);

    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByTestId('replay-dialog');
    await dialog.getByLabel('Target URL').fill(target.url);
    expect(await dialog.getByLabel('Keep the received signature').isChecked()).toBe(true);
    const before = target.received.length;
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();

    const outcome = dialog.getByTestId('attempt-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-ok')).toBe('true');
    expect(await outcome.textContent()).toContain('202');
    // The target's answer is shown as text, never as markup.
    expect(await outcome.getByTestId('response-body').textContent()).toBe('{"accepted":true,"note":"<img src=x onerror=alert(1)>"}');
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    const got = target.received[before]!;
    expect(got.body.equals(Buffer.from(BODY, 'utf8'))).toBe(true);
    expect(header(got, 'x-soveren-signature')).toEqual([signature]);
    expect(header(got, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
    expect(await octokitValid(TOKEN, got)).toBe(true);

    // Esc closes the dialog; the attempt is already in the Attempts list, live.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const attempt = page.locator(`.detail[data-id="${id}"] [data-testid="attempts"] .attempt[data-kind="replay"]`);
    await attempt.waitFor();
    expect(await attempt.textContent()).toContain(target.url);
    expect(await page.evaluate(() => localStorage.getItem('soveren-inspector.recent-targets'))).toBe(JSON.stringify([target.url]));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replays with changes: the edited JSON arrives exactly, freshly signed with the typed token', async () => {
    const id = await postEvent(inspector.receiverUrl, BODY, { headers: { 'x-soveren-signature': signBody(BODY, TOKEN) } });
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    const other = 'http://127.0.0.1:9/other';
    await page.evaluate((list) => localStorage.setItem('soveren-inspector.recent-targets', list), JSON.stringify([target.url, other]));
    await openDelivery(page, id);

    await page.getByRole('button', { name: 'Replay with changes…' }).click();
    const dialog = page.getByTestId('replay-dialog');
    // The most recent target is filled in, the others are one click away.
    const field = dialog.getByLabel('Target URL');
    expect(await field.inputValue()).toBe(target.url);
    await dialog.getByRole('button', { name: `Use ${other}` }).click();
    expect(await field.inputValue()).toBe(other);
    await dialog.getByRole('button', { name: `Use ${target.url}` }).click();
    expect(await field.inputValue()).toBe(target.url);
    expect(await dialog.getByLabel('Keep the received signature').count()).toBe(0);

    const editor = dialog.getByLabel('Body (JSON)');
    expect(await editor.inputValue()).toBe(BODY);
    await editor.fill('{"title": "broken",, }');
    expect(await dialog.getByTestId('json-status').textContent()).toMatch(/^Not valid JSON \(line 1, column \d+\)/);
    expect(await dialog.getByRole('button', { name: 'Replay with changes' }).isDisabled()).toBe(true);

    const edited = '{\n  "title": "Edited in the inspector",\n  "category": "Misconfiguration",\n  "event_type": "policy_public_s3_bucket"\n}';
    await editor.fill(edited);
    expect(await dialog.getByTestId('json-status').textContent()).toContain('Valid JSON');
    await dialog.getByLabel('Token', { exact: true }).fill(FRESH);
    const before = target.received.length;
    await dialog.getByRole('button', { name: 'Replay with changes' }).click();
    await dialog.getByTestId('attempt-outcome').waitFor();

    const got = target.received[before]!;
    expect(got.body.toString('utf8')).toBe(edited);
    expect(await octokitValid(FRESH, got)).toBe(true);
    expect(await octokitValid(TOKEN, got)).toBe(false);
    await expectTokenNowhere(page, FRESH);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('bulk-replays the current filter after saying how many match, with progress reaching the total', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await postEvent(inspector.receiverUrl, { title: `Bulk ${i}`, category: 'Other', event_type: 'dim_release_update' }));
    await postEvent(inspector.receiverUrl, { title: 'Not matching', category: 'Other', event_type: 'discovery_complete' });
    const q = 'event_type:dim_release_update';
    const { page, errors } = await openPage(browser, `${inspector.uiUrl}?q=${encodeURIComponent(q)}`);
    await waitForList(page, q);
    await page.getByTestId('match-count').filter({ hasText: '6 matching' }).waitFor();

    await page.getByRole('button', { name: 'Replay matching…' }).click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.getByLabel('Target URL').fill(target.url);
    await dialog.getByLabel('Fresh signature').check();
    await dialog.getByLabel('Token', { exact: true }).fill(FRESH);
    await dialog.getByRole('button', { name: 'Review…' }).click();
    expect(await dialog.getByTestId('bulk-confirm-text').textContent()).toMatch(/^Replay 6 deliveries matching event_type:dim_release_update to /);

    const before = target.received.length;
    await dialog.getByTestId('bulk-start').click();
    await dialog.locator('[data-testid="job-progress"][data-state="done"]').waitFor();
    const progress = dialog.getByTestId('job-progress');
    expect(await progress.getAttribute('data-done')).toBe('6');
    expect(await progress.getAttribute('data-total')).toBe('6');
    expect(await progress.textContent()).toContain('6 ok');

    const got = target.received.slice(before);
    expect(got.map((c) => JSON.parse(c.body.toString('utf8')).title)).toEqual(['Bulk 0', 'Bulk 1', 'Bulk 2', 'Bulk 3', 'Bulk 4', 'Bulk 5']);
    for (const c of got) expect(await octokitValid(FRESH, c)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('job-chip').textContent()).toContain('6/6');
    await expectTokenNowhere(page, FRESH);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stops a bulk replay midway; the toolbar keeps its outcome', async () => {
    const slow = await startTarget(() => ({ status: 200, delayMs: 250 }));
    try {
      for (let i = 0; i < 8; i++) await postEvent(inspector.receiverUrl, { title: `Slow ${i}`, category: 'Other', event_type: 'dar_release_update' });
      const q = 'event_type:dar_release_update';
      const { page, errors } = await openPage(browser, `${inspector.uiUrl}?q=${encodeURIComponent(q)}`);
      await waitForList(page, q);
      await page.getByTestId('match-count').filter({ hasText: '8 matching' }).waitFor();
      await page.getByRole('button', { name: 'Replay matching…' }).click();
      const dialog = page.getByTestId('bulk-dialog');
      await dialog.getByLabel('Target URL').fill(slow.url);
      await dialog.getByLabel('Unsigned').check();
      await dialog.getByRole('button', { name: 'Review…' }).click();
      await dialog.getByTestId('bulk-start').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-done')) >= 2);
      await dialog.getByRole('button', { name: 'Stop' }).click();
      const stopped = dialog.locator('[data-testid="job-progress"][data-state="stopped"]');
      await stopped.waitFor();
      const done = Number(await stopped.getAttribute('data-done'));
      expect(done).toBeGreaterThanOrEqual(2);
      expect(done).toBeLessThan(8);
      await holdStill(600); // only to prove no new try starts after the stop
      expect(slow.received.length).toBeLessThanOrEqual(done + 1);
      expect(slow.received.every((c) => c.headers.every(([k]) => k.toLowerCase() !== 'x-soveren-signature'))).toBe(true);
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      expect(await page.getByTestId('job-chip').textContent()).toContain(`Stopped ${done}/8`);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await slow.close();
    }
  });
});
