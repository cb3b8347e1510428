// Header count, facets and chart move with the rows: after a burst, the count that says how
// many match is right in the same frame the newest row appears (no wait for a refresh);
// and a row at 800 px keeps every chip, the event type included, inside the row.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture({ tokens: ['row-chips-token'] });

describe('live counts', () => {
  it('counts a burst in the same frame as its rows', async () => {
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const N = 40;
    // Every animation frame, note the first frame where the newest row is shown and the first
    // where the list count, the header's stored count, the event-type facet and the chart say N.
    await page.evaluate((n) => {
      const w = window as unknown as { __frames: { row: number | null; count: number | null; stored: number | null; facet: number | null; chart: number | null } };
      w.__frames = { row: null, count: null, stored: null, facet: null, chart: null };
      let frame = 0;
      const tick = () => {
        frame++;
        const f = w.__frames;
        const maxId = Math.max(0, ...[...document.querySelectorAll('.list .row')].map((r) => Number(r.getAttribute('data-id'))));
        if (f.row === null && maxId >= n) f.row = frame;
        if (f.count === null && document.querySelector('[data-testid="match-count"]')?.textContent?.trim() === `${n} deliveries`) f.count = frame;
        if (f.stored === null && document.querySelector('[data-testid="counts"] strong')?.textContent === String(n)) f.stored = frame;
        const facet = document.querySelector('.facet[data-field="event_type"][data-value="burst_event"] .facet__count');
        if (f.facet === null && facet?.textContent === String(n)) f.facet = frame;
        const total = [...document.querySelectorAll('.chart__svg title')].reduce((sum, t) => sum + Number(/: ([\d,]+)/.exec(t.textContent ?? '')?.[1]?.replace(/,/g, '') ?? 0), 0);
        if (f.chart === null && total === n) f.chart = frame;
        if (Object.values(f).some((v) => v === null)) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }, N);
    const ids = await Promise.all(Array.from({ length: N }, (_, i) =>
      postEvent(e2e.inspector.receiverUrl, { title: `Burst ${i}`, category: 'Other', event_type: 'burst_event' })));
    expect(Math.max(...ids)).toBe(N);
    await page.waitForFunction(() => {
      const f = (window as unknown as { __frames: Record<string, number | null> }).__frames;
      return Object.values(f).every((v) => v !== null);
    });
    const frames = await page.evaluate(() => (window as unknown as { __frames: { row: number; count: number; stored: number; facet: number; chart: number } }).__frames);
    // Same frame as the rows, or the next one (a render may land one frame later); never a refresh later.
    expect(frames.count - frames.row, JSON.stringify(frames)).toBeLessThanOrEqual(1);
    expect(frames.stored - frames.row, JSON.stringify(frames)).toBeLessThanOrEqual(1);
    expect(frames.facet - frames.row, JSON.stringify(frames)).toBeLessThanOrEqual(1);
    expect(frames.chart - frames.row, JSON.stringify(frames)).toBeLessThanOrEqual(1);
    // Once the server's own figures replace the local ones, they agree.
    await page.waitForTimeout(1200); // the quiet period before the refresh; then the text must not have changed
    expect((await page.getByTestId('match-count').textContent())?.trim()).toBe(`${N} deliveries`);
    expect(await page.locator('.facet[data-field="event_type"][data-value="burst_event"] .facet__count').textContent()).toBe(String(N));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps every chip of a busy row inside the row at 800 px, and sizes read "1.2 KiB"', async () => {
    const body = JSON.stringify({ title: 'Busy', category: 'Data at risk', sensitivity: 'High', event_type: 'sensitive_data_in_a_very_long_event_type_name', pad: 'x'.repeat(1100) });
    // A wrong signature and no user agent: signature and user-agent badges, a 401, lint findings.
    const res = await fetch(e2e.inspector.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-soveren-signature': 'sha256=00' }, body });
    const id = Number(res.headers.get('x-soveren-inspector-id'));
    expect(id).toBeGreaterThan(0);
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await page.setViewportSize({ width: 800, height: 800 });
    await waitForList(page);
    const row = page.locator(`.row[data-id="${id}"]`);
    await row.waitFor();
    const layout = await row.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const meta = [...el.querySelectorAll('.row__meta > *')].map((c) => {
        const r = c.getBoundingClientRect();
        return { cls: c.className, text: c.textContent ?? '', left: r.left, right: r.right, width: r.width };
      });
      return { right: box.right - parseFloat(getComputedStyle(el).paddingRight), meta };
    });
    expect(layout.meta.length).toBeGreaterThanOrEqual(7);
    for (const chip of layout.meta) {
      expect(chip.right, `${chip.cls} "${chip.text}" ends inside the row: ${JSON.stringify(layout)}`).toBeLessThanOrEqual(layout.right + 0.5);
    }
    const type = layout.meta.find((c) => c.cls.includes('row__type'))!;
    // Wide enough to read the start of the type (cut with an ellipsis, with its full text as a tooltip).
    expect(type.width).toBeGreaterThanOrEqual(50);
    expect(layout.meta.find((c) => c.cls.includes('row__size'))?.text).toMatch(/^1\.\d KiB$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says "show 1 more field" for the one unknown field past a page', async () => {
    const event: Record<string, unknown> = { title: 'Many fields', category: 'Other', event_type: 'discovery_complete' };
    for (let i = 0; i < 101; i++) event[`extra_${String(i).padStart(3, '0')}`] = i;
    const id = await postEvent(e2e.inspector.receiverUrl, event);
    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    const more = page.locator(`.detail[data-id="${id}"]`).getByRole('button', { name: /more field/ });
    await more.waitFor();
    expect(await more.textContent()).toBe('show 1 more field (1 left)');
    expect(errors).toEqual([]);
    await page.close();
  });
});
