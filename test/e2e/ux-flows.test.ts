// Outcomes a user can work with, in real Chromium: an attempt shows what was sent and the
// diff of an edited body (as text); after a bulk replay the failed ones can be shown (a
// search) and retried (exactly those); a failing forward target says so in words with the
// time left, counts failures in deliveries, and offers the same; the signature pane says
// "body changed since signing"; and "no signature checked" is one word in UI and CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_FORWARD_CONFIG } from '../../server/sender/forwarder.ts';
import { failedQuery } from '../../server/common/query.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { waitUntil } from '../helpers/wait.ts';
import { startTarget, type Target } from '../integration/sender-target.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';
import { contrasts } from './contrast.ts';

const TOKEN = 'ux-flows-token';
const fx = useE2eFixture({ tokens: [TOKEN] });
let target: Target;
let healthy = false;

beforeAll(async () => {
  target = await startTarget(() => (healthy ? { status: 200, body: '{}' } : { status: 503, body: 'down' }));
});
afterAll(async () => {
  await target?.close();
});

const signed = (body: string) => ({ headers: { 'x-soveren-signature': signBody(body, TOKEN) } });
const api = (method: string, path: string, body?: unknown) => fetch(new URL(path, fx.inspector.uiUrl), {
  method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }),
});
const q = (page: Page) => new URL(page.url()).searchParams.get('q');

async function openDelivery(page: Page, id: number): Promise<void> {
  await page.goto(`${fx.inspector.uiUrl}?id=${id}`);
  await page.locator(`.detail[data-id="${id}"]`).waitFor();
}

describe('attempts show what was sent', () => {
  it('shows signing, format and a text-only diff of an edited replay against the stored body', async () => {
    const body = JSON.stringify({ title: 'Diff me', category: 'Other', event_type: 'discovery_complete', sensitivity: 'Low' });
    const id = await postEvent(fx.inspector.receiverUrl, body, signed(body));
    healthy = true;
    const edited = JSON.stringify({ title: '<img src=x onerror=alert(1)>', category: 'Other', event_type: 'discovery_complete', sensitivity: 'Low' });
    expect((await api('POST', `/api/deliveries/${id}/replay`, { target: target.url, token: 'connector-token', body: edited })).status).toBe(200);
    healthy = false;
    const { page, errors } = await openPage(fx.browser, fx.inspector.uiUrl);
    await openDelivery(page, id);
    const attempt = page.locator(`.detail[data-id="${id}"] [data-testid="attempts"] .attempt`).first();
    await attempt.locator('.attempt__line').click();
    const sent = attempt.getByTestId('attempt-sent');
    expect(await sent.getAttribute('data-signing')).toBe('fresh');
    expect(await sent.getAttribute('data-edited')).toBe('true');
    expect(await attempt.getByTestId('attempt-signing').textContent()).toBe('fresh signature (signed now with a token)');
    const diff = attempt.getByTestId('attempt-diff');
    expect(await diff.locator('[data-op="removed"]').allTextContents()).toEqual(['-   "title": "Diff me",\n']);
    expect(await diff.locator('[data-op="added"]').allTextContents()).toEqual(['+   "title": "<img src=x onerror=alert(1)>",\n']);
    expect(await attempt.getByTestId('attempt-diff-summary').textContent()).toBe('Against the stored body: 1 line removed, 1 added.');
    expect(await attempt.getByTestId('attempt-edited-sha').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.content()).not.toContain('connector-token');
    // Readable in both colour schemes (WCAG AA, 4.5:1).
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const checked = await contrasts(page, '.diff__line, .attempt__sent dt, .attempt__sent dd, [data-testid="attempt-diff-summary"]');
      expect(checked.length).toBeGreaterThan(6);
      for (const c of checked) expect(c.ratio, `${scheme}: ${c.text}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('failures can be worked', () => {
  it('after a bulk replay: shows the failed ones as a search, and retries exactly those', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await postEvent(fx.inspector.receiverUrl, JSON.stringify({ title: `Bulk fail ${i}`, event_type: 'dar_release_update' }), { path: '/bulkfail' }));
    const query = 'path:/bulkfail';
    const { page, errors } = await openPage(fx.browser, `${fx.inspector.uiUrl}?q=${encodeURIComponent(query)}`);
    await waitForList(page, query);
    await page.getByTestId('match-count').filter({ hasText: '3 matching' }).waitFor();
    await page.getByRole('button', { name: 'Replay matching…' }).click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.getByLabel('Target URL').fill(target.url);
    await dialog.getByRole('button', { name: 'Review…' }).click();
    await dialog.getByTestId('bulk-start').click();
    await dialog.locator('[data-testid="job-progress"][data-state="done"]').waitFor();
    expect(await dialog.getByTestId('bulk-failures').textContent()).toContain('3 failed.');

    await dialog.getByTestId('show-failed').click();
    await dialog.waitFor({ state: 'detached' });
    const failed = failedQuery('replay', target.url);
    expect(q(page)).toBe(failed);
    await waitForList(page, failed);
    expect((await page.$$eval('.list .row', (rows) => rows.map((r) => Number(r.getAttribute('data-id'))))).sort()).toEqual(ids);

    healthy = true;
    const before = target.received.length;
    await page.getByTestId('job-chip').locator('.job-chip__text').click();
    const again = page.getByTestId('bulk-dialog');
    await again.getByTestId('retry-failed').click();
    // The dialog first shows the failed job (also done, also 3): wait for the retry's own outcome.
    await again.locator('[data-testid="job-progress"][data-state="done"][data-total="3"]').filter({ hasText: '3 ok' }).waitFor();
    expect(await again.getByTestId('job-progress').textContent()).toContain('3 ok');
    expect(target.received.slice(before).map((c) => JSON.parse(c.body.toString('utf8')).title)).toEqual(['Bulk fail 0', 'Bulk fail 1', 'Bulk fail 2']);
    healthy = false;
    expect(errors).toEqual([]);
    await page.close();
  });

  it('forwarding: "No targets" instead of "on"; a failing target in words with the time left; show and retry its failed ones', async () => {
    const { page, errors } = await openPage(fx.browser, fx.inspector.uiUrl);
    await waitForList(page);
    await page.getByTestId('forwarding-button').click();
    const dialog = page.getByTestId('forwarding-dialog');
    const toggle = dialog.getByTestId('forwarding-switch');
    await toggle.waitFor();
    expect(await toggle.textContent()).toBe('No targets: nothing is forwarded');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');

    await dialog.getByLabel('Add a target').fill(target.url);
    await dialog.getByRole('button', { name: 'Add target' }).click();
    await dialog.getByTestId('forward-target').waitFor();
    expect(await toggle.textContent()).toBe('Forwarding is on');
    // New targets are signed with the receiver's token by default.
    expect(await dialog.getByTestId('forwarding-signing').textContent()).toBe('Fresh signature with the receiver’s token');

    const ids = [
      await postEvent(fx.inspector.receiverUrl, '{"title":"fwd 1"}', signed('{"title":"fwd 1"}')),
      await postEvent(fx.inspector.receiverUrl, '{"title":"fwd 2"}', signed('{"title":"fwd 2"}')),
    ];
    await dialog.locator('[data-testid="forward-failed"]').filter({ hasText: /^2$/ }).waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('forward-retries').textContent()).toBe('0');
    expect(await dialog.locator('.ftarget__detail').textContent()).toMatch(/^2 deliveries failed in a row; Soveren would show it as failed in 1[45] min without a success\.$/);
    await page.keyboard.press('Escape');
    // The header says it in words, with the time left until the 15-minute mark.
    await waitUntil(async () => /^failing · 1[45] min left$/.test((await page.getByTestId('forwarding-words').textContent({ timeout: 500 }).catch(() => '')) ?? ''),
      { timeoutMs: 20_000, what: 'the header to say failing' });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const [words] = await contrasts(page, '[data-testid="forwarding-words"]');
      expect(words!.ratio, `${scheme}: ${words!.text}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByTestId('forwarding-button').click();
    await dialog.getByRole('button', { name: 'Show the failed ones' }).click();
    await dialog.waitFor({ state: 'detached' });
    const failed = failedQuery('forward', target.url);
    expect(q(page)).toBe(failed);
    await waitForList(page, failed);
    expect((await page.$$eval('.list .row', (rows) => rows.map((r) => Number(r.getAttribute('data-id'))))).sort()).toEqual(ids);

    healthy = true;
    await page.getByTestId('forwarding-button').click();
    await dialog.getByRole('button', { name: 'Retry failed' }).click();
    expect(await dialog.getByTestId('forwarding-note').textContent()).toBe(`2 failed deliveries queued again for ${target.url}.`);
    await dialog.locator('[data-testid="forward-ok"]').filter({ hasText: /^2$/ }).waitFor({ timeout: 10_000 });
    healthy = false;
    await api('PUT', '/api/forwarding', { targets: [] });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('forwarding past the mark', () => {
  let quick: TestInspector;
  beforeAll(async () => {
    // A 300 ms "15-minute mark", so the failed state is reached within the test.
    quick = await startTestInspector({ forward: { ...DEFAULT_FORWARD_CONFIG, targets: [target.url], failAfterMs: 300 } });
  });
  afterAll(async () => {
    await quick?.close();
  });

  it('says "Forwarding failed" in the header once a target is past the mark', async () => {
    await postEvent(quick.receiverUrl, '{"title":"never delivered"}');
    const { page, errors } = await openPage(fx.browser, quick.uiUrl);
    await waitForList(page);
    const words = page.getByTestId('forwarding-words').filter({ hasText: /^failed$/ });
    await words.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('forwarding-button').textContent()).toBe('Forwardingfailed');
    expect(await page.getByTestId('forwarding-button').getAttribute('title')).toBe('1 of 1 forward target failed: no success for 300 ms');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('signature debugging', () => {
  it('says "body changed since signing" with the evidence', async () => {
    const link = 'https://app.soveren.io/events/9d1e1f00-aaaa-4bbb-8ccc-000000000001';
    const original = JSON.stringify({ title: 'As signed', event_link: link });
    const signature = signBody(original, TOKEN);
    const good = await postEvent(fx.inspector.receiverUrl, original, { headers: { 'x-soveren-signature': signature } });
    const changed = JSON.stringify({ title: 'Changed in transit', event_link: link });
    const res = await fetch(fx.inspector.receiverUrl, { method: 'POST', body: changed, headers: { 'content-type': 'application/json', 'x-soveren-signature': signature } });
    expect(res.status).toBe(401);
    const id = Number(res.headers.get('x-soveren-inspector-id'));
    const { page, errors } = await openPage(fx.browser, fx.inspector.uiUrl);
    await openDelivery(page, id);
    const cause = page.getByTestId('signature-cause');
    await cause.waitFor();
    expect(await cause.getAttribute('data-cause')).toBe('body-changed');
    expect(await cause.textContent()).toContain(`Body changed since signing: delivery #${good} of the same event carried this very signature`);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const c of await contrasts(page, '.sigcause, .sigcause strong')) expect(c.ratio, `${scheme}: ${c.text}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('one word for "no signature checked"', () => {
  let open: TestInspector;
  beforeAll(async () => {
    open = await startTestInspector();
  });
  afterAll(async () => {
    await open?.close();
  });

  it('the CLI, the row badges, the facet and the API all say "unchecked"', async () => {
    const cli = await runCli(['send', '--to', open.receiverUrl, '--type', 'new_data_type', '--count', '2', '-q']);
    expect(cli.code).toBe(0);
    const word = /receiver verdicts: signature (\w+)×2/.exec(cli.stdout)?.[1];
    expect(word).toBe('unchecked');
    const items = ((await (await fetch(new URL('/api/deliveries', open.uiUrl))).json()) as { items: { signature: string }[] }).items;
    expect(items.map((d) => d.signature)).toEqual([word, word]);

    const { page, errors } = await openPage(fx.browser, open.uiUrl);
    await waitForList(page);
    const badges = await page.locator('.list .row .badge[class*="badge--sig-"]').allTextContents();
    expect(badges).toEqual([`sig ${word}`, `sig ${word}`]);
    expect(await page.locator('.facets').textContent()).toContain(word!);
    expect(await page.locator('.list').textContent()).not.toContain('unsigned');
    expect(errors).toEqual([]);
    await page.close();
  });
});
