// The SIEM side in the browser: a delivery's "Reached your SIEM" waits, then shows the
// output live with its sink, latency and link, and its comparison with the reference
// mapping; a delivery with nothing after the wait time says so; the "SIEM outputs" list
// shows unmatched outputs with the reason and filters them.
import { describe, expect, it } from 'vitest';
import type { OutputComparison, OutputSummary } from '../../server/common/protocol.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { createEvent, serializeEvent } from '../../server/soveren/events.ts';
import { openPage, postEvent, useE2eFixture } from './browser.ts';

const e2e = useE2eFixture();

async function hec(event: unknown): Promise<void> {
  const r = await fetch(e2e.inspector.inspector.sinkUrl + 'services/collector/event', { method: 'POST', headers: { authorization: 'Splunk any' }, body: JSON.stringify({ event }) });
  expect(await r.json()).toEqual({ text: 'Success', code: 0 });
}

describe('SIEM outputs in the UI', () => {
  it('shows a delivery’s output live, with its link and the comparison with the reference mapping', async () => {
    const event = createEvent('anomaly_detected', { seed: 21 });
    const id = await postEvent(e2e.inspector.receiverUrl, serializeEvent(event));
    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    const pane = page.locator(`.detail[data-id="${id}"]`);
    await pane.waitFor();
    expect(await pane.getByTestId('siem-waiting').textContent()).toContain("Waiting for the connector's output");

    await hec(event);
    const row = pane.getByTestId('siem-output');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Splunk HEC');
    expect(text).toContain(`#${id} by event link`);
    expect(text).toMatch(/\+\d/);

    const [output] = (await (await fetch(new URL('/api/outputs', e2e.inspector.uiUrl))).json()).items as OutputSummary[];
    const comparison = (await (await fetch(new URL(`/api/outputs/${output!.id}/compare`, e2e.inspector.uiUrl))).json()) as OutputComparison;
    await row.locator('.attempt__line').click();
    if (comparison.reference === null) {
      // No reference mapping in this build: the pane says why, in the server's words.
      await pane.getByText(comparison.reason!).waitFor();
    } else {
      const table = pane.getByTestId('siem-compare');
      await table.waitFor();
      expect(await table.locator('tbody tr').count()).toBe(comparison.rows.length);
      const off = comparison.rows.filter((r) => r.state === 'differs' || r.state === 'missing').length;
      expect(await table.locator('tr[data-state="differs"], tr[data-state="missing"]').count()).toBe(off);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when nothing reached the SIEM within the wait time', async () => {
    // A delivery received a minute ago, stored the way the receiver stores it.
    const record = analyzeRequest({ receivedAt: Date.now() - 60_000, method: 'POST', url: '/', remoteAddress: null, rawHeaders: ['Content-Type', 'application/json'], body: Buffer.from('{"title":"never forwarded"}') },
      { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 });
    const [stored] = e2e.inspector.inspector.deliveries.insertBatch([record]);
    const { page } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${stored!.id}`);
    const pane = page.locator(`.detail[data-id="${stored!.id}"]`);
    await pane.waitFor();
    expect(await pane.getByTestId('siem-waiting').textContent()).toBe('No output reached the SIEM sinks within 10 s of receipt.');
    await page.close();
  });

  it('lists outputs live, unmatched ones with the reason, and filters them', async () => {
    const { page } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await page.getByTestId('outputs-button').click();
    const dialog = page.getByTestId('outputs-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Any token is accepted');
    await hec({ title: 'orphan output', note: 'nothing links it' });
    const orphan = dialog.locator('[data-testid="output-row"]', { hasText: 'orphan output' });
    await orphan.waitFor();
    expect(await orphan.textContent()).toContain('unmatched: no event link or id in it');
    await dialog.getByLabel('Filter outputs').fill('linked:no');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="output-row"]')].every((r) => r.getAttribute('data-linked') === 'no'));
    expect(await dialog.locator('[data-testid="output-row"][data-linked="yes"]').count()).toBe(0);
    expect(await dialog.locator('[data-testid="output-row"]', { hasText: 'orphan output' }).count()).toBe(1);
    await page.close();
  });
});
