// Imported deliveries in Chromium: their row is marked "imported" and their detail says the
// verdicts were made at receipt (by the receiver that first took them); live ones are not.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportedDelivery } from '../../server/common/protocol.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { runCli } from '../helpers/cli.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';
import { contrasts } from './contrast.ts';

const TOKEN = 'imported-e2e-token';
const e2e = useE2eFixture({ tokens: [TOKEN], adoptIntervalMs: 100 });

describe('imported deliveries', () => {
  it('say in the row and the detail that their verdicts were made at receipt', async () => {
    const body = JSON.stringify({ title: 'Shared by a teammate', category: 'Data at risk', event_type: 'policy_violation', sensitivity: 'High' });
    const liveId = await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, TOKEN) } });
    const file = join(e2e.inspector.dir, 'shared.ndjson');
    expect((await runCli(['export', '--db', e2e.inspector.dbPath, '--out', file])).code).toBe(0);
    // The teammate's capture: the same delivery, an hour earlier (so not a duplicate of ours).
    const line = JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!) as ExportedDelivery;
    writeFileSync(file, JSON.stringify({ ...line, receivedAt: new Date(Date.now() - 3_600_000).toISOString() }) + '\n');

    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const imported = await runCli(['import', '--db', e2e.inspector.dbPath, file]);
    const importedId = Number(/ids (\d+)-/.exec(imported.stdout)?.[1]);
    expect(importedId, imported.stdout + imported.stderr).toBeGreaterThan(liveId);

    // The running UI adopts the imported row live; its badge says what kind of verdict it has.
    const row = page.locator(`.row[data-id="${importedId}"]`);
    await row.waitFor({ timeout: 10_000 });
    const badge = row.getByTestId('imported-badge');
    expect(await badge.textContent()).toBe('imported');
    expect(await badge.getAttribute('title')).toMatch(/^imported .*: verdict at receipt \(signature and user agent were judged when it first arrived, not re-checked here\)$/);
    expect(await page.locator(`.row[data-id="${liveId}"]`).getByTestId('imported-badge').count()).toBe(0);

    await row.click();
    const pane = page.locator(`.detail[data-id="${importedId}"]`);
    await pane.waitFor();
    expect(await pane.locator('.detail__badges').getByTestId('imported-badge').textContent()).toBe('verdict at receipt');
    expect(await pane.getByTestId('imported-note').textContent()).toMatch(/^Imported .+\. Its verdicts were made at receipt, by the receiver that first took it/);

    // Both badges (row and detail) and the note read at WCAG AA in both themes.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const checked = await contrasts(page, '[data-testid="imported-badge"], [data-testid="imported-note"]');
      expect(checked).toHaveLength(3);
      for (const c of checked) expect(c.ratio, `${scheme}: ${c.text}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.locator(`.row[data-id="${liveId}"]`).click();
    await page.locator(`.detail[data-id="${liveId}"]`).waitFor();
    expect(await page.getByTestId('imported-note').count()).toBe(0);
    expect(await page.locator('.detail__badges').getByTestId('imported-badge').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
