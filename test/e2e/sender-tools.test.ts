// The sender's tools in the browser: the Send panel (all 29 types to the own receiver,
// then a tampered batch, then a slow send followed and stopped), live forwarding (add,
// health, switch, remove) and the connector conformance check (a strict connector
// passes, a lax one fails on signatures; history).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdStill } from '../helpers/wait.ts';
import type { Browser, Page } from 'playwright-core';
import type { DeliveryPage, ForwardingState } from '../../server/common/protocol.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startConnector, type Connector } from '../integration/check-connectors.ts';
import { startTarget, type Target } from '../integration/sender-target.ts';
import { ensureUiBuilt, launchBrowser, openPage, postEvent, rowIds, waitForList } from './browser.ts';

const TOKEN = 'tools-e2e-token';
const CONNECTOR_TOKEN = 'connector-secret-typed-in-the-page';
let browser: Browser;
let inspector: TestInspector;

beforeAll(async () => {
  await ensureUiBuilt();
  browser = await launchBrowser();
  inspector = await startTestInspector({
    tokens: [TOKEN],
    forward: { targets: [], token: null, keepSignature: true, failAfterMs: 400, concurrency: 1, retries: 0 },
  });
});
afterAll(async () => {
  await browser?.close();
  await inspector?.close();
});

async function api<T>(path: string): Promise<T> {
  return (await (await fetch(new URL(path, inspector.uiUrl))).json()) as T;
}

async function openTool(page: Page, button: string, testId: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByTestId(testId);
  await dialog.waitFor();
  return dialog;
}

describe('send panel', () => {
  it('sends all 29 types to the own receiver; they appear in the list, signed', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    const dialog = await openTool(page, 'Send test events', 'send-dialog');
    expect(await dialog.textContent()).toContain('29 requests');
    await dialog.getByTestId('send-submit').click();
    const summary = dialog.getByTestId('send-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe('Passed All 29 requests answered 2xx.');
    expect(await dialog.locator('[data-testid="send-table"] tbody tr').count()).toBe(29);

    const stored = await api<DeliveryPage>('/api/deliveries?limit=100');
    expect(stored.items).toHaveLength(29);
    expect(new Set(stored.items.map((d) => d.eventType)).size).toBe(29);
    expect(stored.items.every((d) => d.signature === 'valid' && d.userAgent === 'ok')).toBe(true);
    // Live in the list (virtualised: the newest rows are on screen) and in the count.
    await page.getByTestId('match-count').filter({ hasText: '29 deliveries' }).waitFor();
    const shown = await rowIds(page);
    expect(shown[0]).toBe(stored.items[0]!.id);
    expect(shown.every((id) => stored.items.some((d) => d.id === id))).toBe(true);

    // A result links to its stored delivery.
    const first = await dialog.locator('[data-testid="send-table"] tbody tr a').first().textContent();
    await dialog.locator('[data-testid="send-table"] tbody tr a').first().click();
    await page.locator(`.detail[data-id="${first!.slice(1)}"]`).waitFor();
    expect(await page.getByTestId('send-dialog').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sends one category tampered and reports that the receiver refused every one', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    const dialog = await openTool(page, 'Send test events', 'send-dialog');
    await dialog.getByRole('radio', { name: 'One category' }).click();
    await dialog.getByLabel('Category', { exact: true }).selectOption('misconfiguration');
    await dialog.getByLabel('Tamper').selectOption('signature');
    await dialog.getByTestId('send-submit').click();
    await dialog.getByTestId('send-summary').waitFor();
    expect(await dialog.getByTestId('send-summary').textContent()).toBe('Passed Every one of the 4 tampered requests got 401 or 403, as a strict receiver should.');
    expect(await dialog.locator('[data-testid="send-table"] .badge').allTextContents()).toEqual(['401', '401', '401', '401']);
    // Esc closes the panel.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('send panel progress', () => {
  let slow: Target;
  beforeAll(async () => {
    slow = await startTarget(() => ({ status: 200, body: '{"ok":true}', delayMs: 150 }));
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('shows the progress of a send to a slow target, stops it, and sums up what was sent', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    const dialog = await openTool(page, 'Send test events', 'send-dialog');
    // 58 requests, 4 at a time, 150 ms each: about 2.2 s if nobody stops it.
    await dialog.getByLabel('Count per type').fill('2');
    await dialog.getByLabel('Target URL').fill(slow.url);
    await dialog.getByTestId('send-submit').click();

    const progress = dialog.getByTestId('job-progress');
    await progress.waitFor();
    expect(await progress.getAttribute('data-total')).toBe('58');
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid="send-dialog"] [data-testid="job-progress"]');
      return bar !== null && Number(bar.getAttribute('data-done')) >= 8;
    });
    expect(await progress.getAttribute('data-state')).toBe('running');
    expect(await progress.getByRole('progressbar', { name: 'Send progress' }).count()).toBe(1);
    expect(await progress.locator('.job__state').textContent()).toBe('Sending');
    expect(await dialog.getByTestId('send-submit').textContent()).toBe('Sending 58…');
    await progress.getByRole('button', { name: 'Stop' }).click();

    const stopped = dialog.getByTestId('send-stopped');
    await stopped.waitFor();
    const sent = Number(/^Stopped: (\d+) of 58 requests/.exec((await stopped.textContent()) ?? '')?.[1]);
    expect(sent).toBeGreaterThanOrEqual(8);
    expect(sent).toBeLessThan(58);
    expect(slow.received.length).toBeLessThan(58);
    expect(await dialog.locator('.stats div', { hasText: 'Sent' }).locator('dd').textContent()).toBe(String(sent));
    expect(await dialog.locator('[data-testid="send-table"] tbody tr').count()).toBe(sent);
    expect(await progress.count()).toBe(0);
    expect(await dialog.getByTestId('send-submit').textContent()).toBe('Send');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('forwarding', () => {
  let good: Target;
  let bad: Target;
  beforeAll(async () => {
    good = await startTarget();
    bad = await startTarget(() => ({ status: 503, body: 'down' }));
  });
  afterAll(async () => {
    await good?.close();
    await bad?.close();
  });

  it('adds targets, shows their health, switches forwarding off and on, removes a target', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    const dialog = await openTool(page, 'Forwarding', 'forwarding-dialog');
    expect(await dialog.textContent()).toContain('No forward targets yet');
    for (const url of [good.url, bad.url]) {
      await dialog.getByLabel('Add a target').fill(url);
      await dialog.getByRole('button', { name: 'Add target' }).click();
      await dialog.locator('[data-testid="forward-target"]', { hasText: url }).waitFor();
    }
    expect((await api<ForwardingState>('/api/forwarding')).targets.map((t) => t.url)).toEqual([good.url, bad.url]);

    const signed = (title: string) => {
      const body = JSON.stringify({ title, category: 'Other', event_type: 'discovery_complete' });
      return postEvent(inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, TOKEN) } });
    };
    await signed('Forward me');
    await good.waitFor(1);
    await dialog.locator('[data-testid="forward-target"][data-tone="ok"]', { hasText: good.url }).waitFor();
    // No success for failAfterMs: shown as failed, as Soveren would.
    const failing = dialog.locator('[data-testid="forward-target"][data-tone="err"]', { hasText: bad.url });
    await failing.waitFor();
    expect(await failing.textContent()).toContain('Failed');
    expect(await failing.textContent()).toContain('answered 503');

    const toggle = dialog.getByTestId('forwarding-switch');
    await toggle.click();
    await dialog.locator('[data-testid="forwarding-switch"][aria-checked="false"]').waitFor();
    expect((await api<ForwardingState>('/api/forwarding')).enabled).toBe(false);
    await signed('Not forwarded');
    await holdStill(300); // only to prove nothing is forwarded while switched off
    expect(good.received).toHaveLength(1);
    await toggle.click();
    await dialog.locator('[data-testid="forwarding-switch"][aria-checked="true"]').waitFor();

    await dialog.getByRole('button', { name: `Remove ${bad.url}` }).click();
    await dialog.locator('[data-testid="forward-target"]', { hasText: bad.url }).waitFor({ state: 'detached' });
    expect((await api<ForwardingState>('/api/forwarding')).targets.map((t) => t.url)).toEqual([good.url]);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('conformance check', () => {
  let strict: Connector;
  let lax: Connector;
  beforeAll(async () => {
    strict = await startConnector('strict', CONNECTOR_TOKEN);
    lax = await startConnector('accepts-bad-signatures', CONNECTOR_TOKEN);
  });
  afterAll(async () => {
    await strict?.close();
    await lax?.close();
  });

  async function runCheck(page: Page, url: string, state: 'passed' | 'failed') {
    const dialog = page.getByTestId('check-dialog');
    await dialog.getByLabel('Connector URL').fill(url);
    await dialog.getByLabel('Token', { exact: true }).fill(CONNECTOR_TOKEN);
    await dialog.getByLabel('Burst').fill('20');
    await dialog.getByLabel('Large event').fill('64');
    await dialog.getByTestId('check-start').click();
    const card = dialog.locator(`[data-testid="scorecard"][data-state="${state}"]`);
    await card.waitFor({ timeout: 30_000 });
    return card;
  }

  it('passes a strict connector, fails a lax one on signatures, and keeps both in the history', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    const dialog = await openTool(page, 'Check connector', 'check-dialog');

    const passed = await runCheck(page, strict.url, 'passed');
    expect(await passed.getByTestId('count-failed').textContent()).toBe('0');
    const signatureRows = passed.locator('tr[data-scenario^="signature-"]');
    expect(await signatureRows.count()).toBeGreaterThanOrEqual(5);
    expect(await passed.locator('tr[data-scenario^="signature-"][data-outcome="fail"]').count()).toBe(0);
    expect(await passed.locator('tr[data-outcome="pending"]').count()).toBe(0);
    const strictRunId = await passed.getAttribute('data-run-id');

    await dialog.getByRole('button', { name: '+ New check' }).click();
    const failed = await runCheck(page, lax.url, 'failed');
    for (const id of ['signature-other-token', 'signature-missing', 'signature-other-body']) {
      const row = failed.locator(`tr[data-scenario="${id}"]`);
      expect(await row.getAttribute('data-outcome'), id).toBe('fail');
      expect(await row.locator('.scenario__reason').textContent(), id).toMatch(/accepted/);
    }
    expect(Number(await failed.getByTestId('count-failed').textContent())).toBeGreaterThanOrEqual(3);
    await failed.getByRole('radio', { name: 'Failures' }).click();
    expect(await failed.locator('tbody tr[data-outcome]').evaluateAll((rows) => rows.every((r) => r.getAttribute('data-outcome') === 'fail'))).toBe(true);

    // History, newest first; the older run opens again.
    const history = dialog.getByTestId('check-history').locator('button');
    expect(await history.evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-run-id'))))).toEqual([Number(strictRunId) + 1, Number(strictRunId)]);
    await dialog.locator(`[data-testid="check-history"] button[data-run-id="${strictRunId}"]`).click();
    await dialog.locator(`[data-testid="scorecard"][data-run-id="${strictRunId}"][data-state="passed"]`).waitFor();

    expect(page.url()).not.toContain(CONNECTOR_TOKEN);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(CONNECTOR_TOKEN);
    expect(JSON.stringify(await api('/api/checks'))).not.toContain(CONNECTOR_TOKEN);
    expect(errors).toEqual([]);
    await page.close();
  });
});
