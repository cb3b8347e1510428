// The Check dialog through the running inspector's own SIEM sinks: the reference connector
// (examples/connector/) writes into the inspector's HEC sink and passes the SIEM results;
// a connector that drops one event type fails "reached", the browser naming the type.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { CheckRun } from '../../server/common/protocol.ts';
import { startConnector, toHecEvent, verify } from '../../examples/connector/connector.mjs';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { ensureUiBuilt, launchBrowser, openPage, waitForList } from './browser.ts';

const TOKEN = 'check-through-e2e-token';
const HEC_TOKEN = 'hec-through-e2e';
let browser: Browser;
let inspector: TestInspector;

beforeAll(async () => {
  await ensureUiBuilt();
  browser = await launchBrowser();
  inspector = await startTestInspector({ tokens: ['receiver-token'], sinkToken: HEC_TOKEN });
});
afterAll(async () => {
  await browser?.close();
  await inspector?.close();
});

/** The reference connector's behaviour, except that anomaly_detected events are never written. */
async function startDroppingConnector(hecUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (!verify(body, req.headers['x-soveren-signature'], TOKEN)) return res.writeHead(401).end();
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return res.writeHead(400).end();
      }
      if (event === null || typeof event !== 'object' || Array.isArray(event)) return res.writeHead(400).end();
      if (event.event_type !== 'anomaly_detected') {
        const hec = new URL('/services/collector/event', hecUrl);
        await fetch(hec, { method: 'POST', headers: { authorization: `Splunk ${HEC_TOKEN}` }, body: JSON.stringify(toHecEvent(event, 'dropping')) });
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

async function runThroughHec(page: Page, url: string, options: { only?: string; state: 'passed' | 'failed' }): Promise<Locator> {
  const dialog = page.getByTestId('check-dialog');
  await dialog.getByLabel('Connector URL').fill(url);
  await dialog.getByLabel('Token', { exact: true }).fill(TOKEN);
  await dialog.getByLabel('Burst').fill('20');
  await dialog.getByLabel('Large event').fill('64');
  if (options.only) await dialog.getByLabel('Only scenarios matching').fill(options.only);
  await dialog.getByLabel('Through the SIEM').selectOption('hec');
  // The form names where the connector must write: the inspector's own HEC endpoint.
  expect(await dialog.getByTestId('check-through-hint').textContent()).toContain(`${inspector.inspector.sinkUrl}services/collector/event`);
  await dialog.getByLabel('Wait for the SIEM').fill('8');
  await dialog.getByTestId('check-start').click();
  const card = dialog.locator(`[data-testid="scorecard"][data-state="${options.state}"]`);
  await card.waitFor({ timeout: 60_000 });
  return card;
}

describe('Check dialog through the SIEM', () => {
  let reference: Awaited<ReturnType<typeof startConnector>>;
  let dropping: Awaited<ReturnType<typeof startDroppingConnector>>;
  beforeAll(async () => {
    reference = await startConnector({ port: 0, token: TOKEN, hecUrl: inspector.inspector.sinkUrl, hecToken: HEC_TOKEN });
    dropping = await startDroppingConnector(inspector.inspector.sinkUrl);
  });
  afterAll(async () => {
    await reference?.close();
    await dropping?.close();
  });

  it('passes the reference connector writing into the inspector\'s HEC sink, then fails one that drops a type', async () => {
    const { page, errors } = await openPage(browser, inspector.uiUrl);
    await waitForList(page);
    await page.getByRole('button', { name: 'Check connector', exact: true }).click();
    const dialog = page.getByTestId('check-dialog');
    await dialog.waitFor();

    const passed = await runThroughHec(page, reference.url, { state: 'passed' });
    expect(await passed.textContent()).toContain('through the hec sink (wait 8 s)');
    expect(await passed.getByTestId('count-failed').textContent()).toBe('0');
    for (const id of ['siem-reached', 'siem-forged', 'siem-mapped', 'siem-severity']) {
      expect([id, await passed.locator(`tr[data-scenario="${id}"]`).getAttribute('data-outcome')]).toEqual([id, 'pass']);
    }
    const reached = await passed.locator('tr[data-scenario="siem-reached"]').textContent();
    const [, arrived, expected] = /(\d+)\/(\d+) arrived/.exec(reached ?? '') ?? [];
    expect(arrived).toBe(expected);
    expect(Number(arrived)).toBeGreaterThanOrEqual(29 + 4 + 20);
    // From the delivery to the sink: never negative, even for a connector that writes before it answers.
    expect(await passed.locator('tr[data-scenario="siem-latency"]').textContent()).toMatch(/p50 \d+ ms, p99 \d+ ms/);
    // What the sink took is stored as outputs of this inspector too.
    const outputs = (await (await fetch(new URL('/api/outputs?q=sink:hec&limit=200', inspector.uiUrl))).json()) as { items: unknown[] };
    expect(outputs.items.length).toBeGreaterThanOrEqual(Number(arrived));

    await dialog.getByRole('button', { name: '+ New check' }).click();
    const failed = await runThroughHec(page, dropping.url, { only: 'event_type', state: 'failed' });
    const row = failed.locator('tr[data-scenario="siem-reached"]');
    expect(await row.getAttribute('data-outcome')).toBe('fail');
    expect(await row.locator('.scenario__reason').textContent()).toMatch(/^lost: anomaly_detected "/);
    // A failed run turns to its failures when it ends; All lists the passed ones again.
    expect(await failed.getByRole('radio', { name: 'Failures' }).getAttribute('aria-checked')).toBe('true');
    await failed.getByRole('radio', { name: 'All' }).click();
    expect(await failed.locator('tr[data-scenario="event_type-anomaly_detected"]').getAttribute('data-outcome')).toBe('pass');

    // The stored run carries the setting and the SIEM results.
    const runId = Number(await failed.getAttribute('data-run-id'));
    const run = (await (await fetch(new URL(`/api/checks/${runId}`, inspector.uiUrl))).json()) as CheckRun;
    expect(run.settings).toMatchObject({ through: 'hec', sinkWaitMs: 8000 });
    expect(run.results.filter((r) => r.group === 'siem').map((r) => r.id)).toEqual(['siem-reached', 'siem-forged', 'siem-mapped', 'siem-severity', 'siem-latency']);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);
});
