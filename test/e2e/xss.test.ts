// Every payload, header and value is attacker-controlled: it must render as text, run
// nothing, and never become a non-http(s) link.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const PAYLOAD = '<img src=x onerror=window.__xss=1>';
const e2e = useE2eFixture();

describe('hostile payloads', () => {
  it('render as literal text and execute nothing', async () => {
    const event = {
      title: PAYLOAD,
      category: `<svg onload=window.__xss=2>`,
      event_type: `<script>window.__xss=3</script>`,
      sensitivity: `<b onmouseover=window.__xss=4>High</b>`,
      event_link: 'javascript:window.__xss=5',
      policy: { name: PAYLOAD, link: 'data:text/html,<script>window.__xss=6</script>' },
      sending: { name: 'svc', link: 'https://example.com/svc', groups: [] },
      data_types: [PAYLOAD],
      [PAYLOAD]: PAYLOAD,
    };
    const id = await postEvent(e2e.inspector.receiverUrl, event, { path: `/<img src=x onerror=window.__xss=7>`, headers: { 'x-evil': PAYLOAD } });

    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const row = page.locator(`.row[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator('.row__title').textContent()).toBe(PAYLOAD);

    await row.click();
    const pane = page.locator(`.detail[data-id="${id}"]`);
    await pane.waitFor();
    expect(await pane.locator('.detail__title').textContent()).toBe(PAYLOAD);
    expect(await pane.textContent()).toContain('javascript:window.__xss=5');
    await pane.getByRole('tab', { name: 'Raw' }).click();
    expect(await pane.getByTestId('raw-body').textContent()).toBe(JSON.stringify(event));
    await page.locator('.facet', { hasText: '<script>' }).first().hover();
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('.list img, .detail img, .facets img, .detail svg[onload], script:not([src])').count()).toBe(0);
    expect(await page.locator('b[onmouseover]').count()).toBe(0);
    // The only links in the detail are http(s), opened without an opener.
    const hrefs = await pane.locator('a[href]').evaluateAll((as) =>
      as.filter((a) => a.getAttribute('target') === '_blank').map((a) => [a.getAttribute('href'), a.getAttribute('rel')]),
    );
    expect(hrefs).toEqual([['https://example.com/svc', 'noopener noreferrer']]);
    const allHrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const href of allHrefs) expect(href).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    expect(errors).toEqual([]);
    await page.close();
  });
});
