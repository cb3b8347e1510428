// "Export" above the list downloads what the search matches, as NDJSON, HAR or a curl
// script, straight from GET /api/export; at 800 px the control stays inside the list pane.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { postEvent, useE2eFixture, waitForList } from './browser.ts';
import { contrastRatios } from './contrast.ts';

const e2e = useE2eFixture({ tokens: ['export-e2e-token'] });

describe('export matching', () => {
  it('downloads the matching deliveries in each format', async () => {
    const risk = await postEvent(e2e.inspector.receiverUrl, { title: 'Risk', category: 'Data at risk', event_type: 'policy_violation' });
    await postEvent(e2e.inspector.receiverUrl, { title: 'Other', category: 'Other', event_type: 'discovery_complete' });
    const risk2 = await postEvent(e2e.inspector.receiverUrl, { title: 'Risk 2', category: 'Data at risk', event_type: 'sensitive_data' });
    const q = 'category:data_at_risk';
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.inspector.uiUrl}?q=${encodeURIComponent(q)}`);
    await waitForList(page, q);
    const menu = page.getByTestId('export-menu');
    const download = async (label: string) => {
      await menu.locator('summary').click();
      const [file] = await Promise.all([page.waitForEvent('download'), menu.getByRole('link', { name: label, exact: true }).click()]);
      return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
    };
    const ndjson = await download('NDJSON');
    expect(ndjson.name).toMatch(/^deliveries-[\d-]+\.ndjson$/);
    expect(ndjson.text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([risk, risk2]);
    expect(ndjson.text).not.toContain('export-e2e-token');
    const har = await download('HAR');
    expect(har.name).toMatch(/\.har$/);
    expect((JSON.parse(har.text) as { log: { entries: unknown[] } }).log.entries).toHaveLength(2);
    const curl = await download('curl script');
    expect(curl.name).toMatch(/\.sh$/);
    expect(curl.text).toContain(`# delivery ${risk},`);
    expect(curl.text).not.toContain('Other');

    // The open menu reads at WCAG AA in both schemes.
    await menu.locator('summary').click();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const ratios = await contrastRatios(menu.locator('.menu__item, summary'));
      expect(ratios).toHaveLength(4);
      for (const r of ratios) expect(r.ratio, `${scheme}: ${r.text}`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('open')).toBeNull();

    // Narrow window, with a query (so "Delete matching" is there too): Export stays in the pane.
    await page.setViewportSize({ width: 800, height: 800 });
    const inside = await page.evaluate(() => {
      const pane = document.querySelector('main.middle')!.getBoundingClientRect();
      const r = document.querySelector('[data-testid="export-menu"] summary')!.getBoundingClientRect();
      return r.width > 0 && r.left >= pane.left && r.right <= pane.right;
    });
    expect(inside).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
