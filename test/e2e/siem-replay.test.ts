// SIEM targets from the browser: a delivery replayed into Elasticsearch with an API key typed
// in the dialog, one into a real rsyslog over TCP, and live forwarding switched to
// Elasticsearch. The typed key reaches the cluster but never the page again, the URL or storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startElasticServer, type ElasticServer } from '../helpers/elastic-server.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { startRsyslog, type Rsyslog } from '../helpers/rsyslog.ts';
import { ensureUiBuilt, launchBrowser, openPage, postEvent } from './browser.ts';

const KEY = 'VUlfdHlwZWRfa2V5OnNlY3JldA==';
let browser: Browser;
let inspector: TestInspector;
let es: ElasticServer;
let rs: Rsyslog;

beforeAll(async () => {
  await ensureUiBuilt();
  [browser, inspector, es, rs] = await Promise.all([launchBrowser(), startTestInspector(), startElasticServer({ apiKey: KEY }), startRsyslog()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), inspector?.close(), es?.close(), rs?.stop()]);
});

const event = (title: string) => JSON.stringify({ title, category: 'Data at risk', event_type: 'new_data_type', sensitivity: 'Medium' });

async function openDelivery(page: Page, id: number): Promise<void> {
  await page.goto(`${inspector.uiUrl}?id=${id}`);
  await page.locator(`.detail[data-id="${id}"]`).waitFor();
  await page.locator('[data-status="live"]').waitFor();
}

async function expectKeyNowhere(page: Page): Promise<void> {
  expect(page.url()).not.toContain(KEY);
  // Only this tab's sessionStorage may keep it (remembered for the session by design, issue 15 section 6).
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(stored).not.toContain(KEY);
  // Input values are not in the markup: read every field's value too.
  const values = await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value).join('\n'));
  expect(values + await page.content()).not.toContain(KEY);
}

describe('SIEM targets in the UI', () => {
  it('replays a delivery into Elasticsearch with a typed API key, kept out of the page, the URL and localStorage', async () => {
    const id = await postEvent(inspector.receiverUrl, event('to elastic from the UI'));
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await openDelivery(page, id);
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByTestId('replay-dialog');
    await dialog.getByLabel('Target URL').fill(`elastic+${es.url}/ui-index`);
    const fields = dialog.getByTestId('siem-fields');
    await fields.waitFor();
    // Signing is for connectors: a SIEM target shows its own fields instead.
    expect(await dialog.getByLabel('Keep the received signature').count()).toBe(0);
    expect(await fields.getByLabel('Format').inputValue()).toBe('ecs');
    await fields.getByLabel('Format').selectOption('soveren');
    expect(await dialog.getByTestId('siem-summary').textContent()).toContain('as Soveren JSON, sent to Elasticsearch _bulk');
    await fields.getByLabel('API key').fill(KEY);
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();

    const outcome = dialog.getByTestId('attempt-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-ok')).toBe('true');
    expect(await outcome.textContent()).toContain('200');
    expect(es.indices.get('ui-index')!.map((d) => d.title)).toEqual(['to elastic from the UI']);
    expect(es.requests.at(-1)!.headers.authorization).toBe(`ApiKey ${KEY}`);
    expect(await fields.getByLabel('API key').inputValue()).toBe('');
    await expectKeyNowhere(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('replays a delivery into rsyslog over TCP; the attempt reads "sent"', async () => {
    const id = await postEvent(inspector.receiverUrl, event('to syslog from the UI'));
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await openDelivery(page, id);
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByTestId('replay-dialog');
    await dialog.getByLabel('Target URL').fill(`syslog+tcp://127.0.0.1:${rs.tcpPort}`);
    await dialog.getByTestId('siem-fields').getByLabel('Format').selectOption('soveren');
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    const outcome = dialog.getByTestId('attempt-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-ok')).toBe('true');
    expect(await outcome.textContent()).toContain('sent');
    const got = (await rs.waitFor((all) => all.some((r) => r.msg.includes('to syslog from the UI')))).find((r) => r.msg.includes('to syslog from the UI'))!;
    expect([got.severity, got.appName, got.structuredData]).toEqual(['4', 'soveren-inspector', `[soveren@32473 deliveryId="${id}"]`]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches live forwarding to Elasticsearch; the dialog says a key is held, never which', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await page.getByRole('button', { name: /Forwarding/ }).first().click();
    const dialog = page.getByTestId('forwarding-dialog');
    await dialog.getByLabel('Add a target').fill(`elastic+${es.url}/live-ui`);
    const fields = dialog.getByTestId('siem-fields');
    await fields.getByLabel('Format').selectOption('soveren');
    await fields.getByLabel('API key').fill(KEY);
    await dialog.getByRole('button', { name: 'Add target' }).click();
    await dialog.getByTestId('forward-target').waitFor();
    expect(await dialog.getByTestId('forwarding-siem').textContent()).toContain('holds an Elasticsearch API key (never shown)');
    await expectKeyNowhere(page);
    await postEvent(inspector.receiverUrl, event('forwarded from the UI switch'));
    const deadline = Date.now() + 10_000;
    while (!(es.indices.get('live-ui') ?? []).some((d) => d.title === 'forwarded from the UI switch')) {
      if (Date.now() > deadline) throw new Error('the forwarded document never arrived');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
