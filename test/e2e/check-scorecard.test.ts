// The Check scorecard in Chromium: a failed run opens on its failures with the first one
// expanded to its request and the connector's answer; copy-as-cURL re-sends exactly that
// request; JUnit and JSON download; the CLI command is shown without the token; a run from
// a terminal (`check --db`) joins the history live, marked CLI.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckReport, CheckRun } from '../../server/common/protocol.ts';
import { findAll, parseXml } from '../helpers/check-xml.ts';
import { runCli } from '../helpers/cli.ts';
import { header, startTarget } from '../integration/sender-target.ts';
import { openPage, useE2eFixture, waitForList } from './browser.ts';
import { contrasts } from './contrast.ts';

const TOKEN = 'whsec-scorecard-e2e-51c';
const ANSWER = 'ok '.repeat(2000) + 'TAIL';
const e2e = useE2eFixture({ adoptIntervalMs: 100 });

const sh = (command: string) => new Promise<void>((resolve, reject) => execFile('sh', ['-c', command], (err) => (err ? reject(err) : resolve())));

describe('Check scorecard', () => {
  it('opens a failed run on its failures, shows request and answer, copies cURL, downloads reports and lists CLI runs', async () => {
    // Accepts everything, bad signatures included: the six signature scenarios fail.
    const lax = await startTarget(() => ({ status: 200, headers: { 'x-connector': 'lax' }, body: ANSWER }));
    try {
      const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await waitForList(page);
      await page.getByRole('button', { name: 'Check connector', exact: true }).click();
      const dialog = page.getByTestId('check-dialog');
      await dialog.getByLabel('Connector URL').fill(lax.url);
      await dialog.getByLabel('Token', { exact: true }).fill(TOKEN);
      await dialog.getByLabel('Burst').fill('5');
      await dialog.getByLabel('Large event').fill('64');
      await dialog.getByLabel('Only scenarios matching').fill('signature');
      await dialog.getByTestId('check-start').click();
      const card = dialog.locator('[data-testid="scorecard"][data-state="failed"]');
      await card.waitFor({ timeout: 30_000 });

      // Failures first: the filter is on Failures and only failed rows are listed.
      expect(await card.getByRole('radio', { name: 'Failures' }).getAttribute('aria-checked')).toBe('true');
      const outcomes = await card.locator('tr[data-scenario]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
      expect(outcomes).toEqual(Array(6).fill('fail'));

      // The first failure is open: the request sent and the connector's answer.
      const first = card.locator('[data-exchange-for="signature-other-token"]');
      await first.waitFor();
      expect(await first.getByTestId('exchange-request-headers').locator('th').allTextContents()).toContain('x-soveren-signature');
      expect(await first.getByTestId('exchange-status').textContent()).toBe('Status 200');
      expect(await first.getByTestId('exchange-response-headers').textContent()).toContain('x-connector');
      expect(await first.getByTestId('exchange-response-body').textContent()).toBe(ANSWER.slice(0, 4096));

      // Copy as cURL, then run it: the connector gets the very bytes and signature shown.
      await first.getByTestId('copy-curl').click();
      await first.getByRole('button', { name: 'Copied' }).waitFor();
      const curl = await page.evaluate(() => navigator.clipboard.readText());
      const runId = Number(await card.getAttribute('data-run-id'));
      const stored = (await (await fetch(new URL(`/api/checks/${runId}`, e2e.inspector.uiUrl))).json()) as CheckRun;
      const exchange = stored.results.find((r) => r.id === 'signature-other-token')!.exchange!;
      expect(curl).toBe(exchange.curl);
      const before = lax.received.length;
      await sh(curl);
      expect(lax.received[before]!.body.toString('utf8')).toBe(exchange.request.body);
      expect(header(lax.received[before]!, 'x-soveren-signature')).toEqual([exchange.request.headers.find(([k]) => k === 'x-soveren-signature')![1]]);

      // Another failure opens on demand: no signature header was sent in it.
      const missing = card.locator('tr[data-scenario="signature-missing"]');
      await missing.getByRole('button', { name: 'Show request and response' }).click();
      const opened = card.locator('[data-exchange-for="signature-missing"]');
      expect(await opened.getByTestId('exchange-request-headers').locator('th').allTextContents()).not.toContain('x-soveren-signature');

      // JUnit and JSON, as the CLI writes them.
      const actions = dialog.getByTestId('check-report-actions');
      const [junit] = await Promise.all([page.waitForEvent('download'), actions.getByTestId('download-junit').click()]);
      expect(junit.suggestedFilename()).toBe(`check-${runId}.xml`);
      expect(findAll(parseXml(readFileSync((await junit.path())!, 'utf8')), 'failure')).toHaveLength(6);
      const [json] = await Promise.all([page.waitForEvent('download'), actions.getByTestId('download-json').click()]);
      const report = JSON.parse(readFileSync((await json.path())!, 'utf8')) as CheckReport;
      expect(report).toMatchObject({ ok: false, url: lax.url, counts: { failed: 6 } });

      // The same check from a terminal: the token comes from the environment, never shown.
      const command = await actions.getByTestId('check-command').textContent();
      expect(command).toBe(`npx soveren-inspector check ${lax.url} --token "$SOVEREN_WEBHOOK_TOKEN" --burst 5 --large-size 64k --only signature --junit check.xml`);
      await actions.getByTestId('copy-command').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
      expect(await dialog.textContent()).not.toContain(TOKEN);

      // Request, answer, reports and command stay readable in both themes (WCAG AA).
      const parts = ['.exchange__title', '.exchange__line', '.exchange__body', '.exchange .headers th', '.exchange .headers td', '.exchange .muted',
        '.scenario__toggle', '.scenario__reason', '.report-actions .btn', '.report-actions .muted', '.report-actions__command', '.exchange .btn'];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const checked = await contrasts(page, parts.map((p) => `.modal ${p}`).join(', '));
        expect(checked.filter((c) => c.text.startsWith('exchange__body')).length).toBeGreaterThanOrEqual(2);
        for (const c of checked) expect(c.ratio, `${scheme}: ${c.text.slice(0, 80)}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // A CLI run into this database appears in the open history, marked CLI, and opens on its failures.
      const cli = await runCli(['check', lax.url, '--token', TOKEN, '--only', 'json', '--db', e2e.inspector.dbPath]);
      expect(cli.code, cli.stderr).toBe(1);
      const cliId = Number(/check run #(\d+)/.exec(cli.stderr)?.[1]);
      const item = dialog.locator(`.history__item[data-run-id="${cliId}"]`);
      await item.waitFor({ timeout: 10_000 });
      expect(await item.textContent()).toContain('CLI');
      await item.click();
      const cliCard = dialog.locator(`[data-testid="scorecard"][data-run-id="${cliId}"]`);
      await cliCard.locator('[data-exchange-for="json-malformed"]').waitFor();
      expect(await cliCard.getByRole('radio', { name: 'Failures' }).getAttribute('aria-checked')).toBe('true');
      expect(await dialog.getByTestId('check-report-actions').textContent()).toContain('run from the CLI');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await lax.close();
    }
  });
});
