// Dragging across the activity chart writes after:/before: into the query (the bars under
// the drag, start to end) and the list shows only what arrived in that range.
import { describe, expect, it } from 'vitest';
import { openPage, postEvent, rowIds, useE2eFixture, waitForList } from './browser.ts';
import { waitUntil } from '../helpers/wait.ts';

const e2e = useE2eFixture();

describe('chart brush', () => {
  it('sets a time range from a drag', async () => {
    const early = await postEvent(e2e.inspector.receiverUrl, { title: 'Early', category: 'Other', event_type: 'discovery_complete' });
    const t0 = Date.now();
    // The clock must move on: the two deliveries land in different one-second bars.
    await waitUntil(() => Date.now() >= Math.ceil(t0 / 1000) * 1000 + 1100);
    const late = await postEvent(e2e.inspector.receiverUrl, { title: 'Late', category: 'Data at risk', event_type: 'policy_violation' });
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    await page.waitForFunction(() => document.querySelectorAll('.chart__svg g').length >= 2);
    const bars = await page.locator('.chart__svg g').count();
    const plot = page.getByTestId('chart-plot');
    const box = (await plot.boundingBox())!;
    // From inside the last bar to the right edge: that bar alone.
    const x0 = box.x + box.width * (1 - 0.5 / bars);
    await page.mouse.move(x0, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 3 });
    await page.getByTestId('chart-brush').waitFor();
    await page.mouse.up();
    await page.waitForFunction(() => /after:\S+ before:\S+$/.test((document.querySelector('.search__input') as HTMLInputElement).value));
    const q = await page.locator('.search__input').inputValue();
    const [, after, before] = /^after:(\S+) before:(\S+)$/.exec(q)!;
    const lateAt = Date.parse((await (await fetch(new URL(`/api/deliveries/${late}`, e2e.inspector.uiUrl))).json()).receivedAt);
    const earlyAt = Date.parse((await (await fetch(new URL(`/api/deliveries/${early}`, e2e.inspector.uiUrl))).json()).receivedAt);
    expect(Date.parse(after!)).toBeLessThanOrEqual(lateAt);
    expect(Date.parse(before!)).toBeGreaterThan(lateAt);
    expect(Date.parse(after!)).toBeGreaterThan(earlyAt);
    await waitForList(page, q);
    expect(await rowIds(page)).toEqual([late]);
    expect(new URL(page.url()).searchParams.get('q')).toBe(q);

    // Cleared, then brushed across the whole chart: one range holding both.
    await page.getByRole('button', { name: 'Clear search' }).click();
    await waitForList(page, '');
    await page.waitForFunction(() => document.querySelectorAll('.chart__svg g').length >= 2);
    const box2 = (await plot.boundingBox())!;
    await page.mouse.move(box2.x + 1, box2.y + box2.height / 2);
    await page.mouse.down();
    await page.mouse.move(box2.x + box2.width - 1, box2.y + box2.height / 2, { steps: 3 });
    await page.mouse.up();
    // The box was cleared above: wait for the new range itself, not merely for a change from q.
    await page.waitForFunction(() => /after:\S+ before:\S+$/.test((document.querySelector('.search__input') as HTMLInputElement).value));
    const q2 = await page.locator('.search__input').inputValue();
    expect(q2.match(/after:/g)).toHaveLength(1);
    await waitForList(page, q2);
    expect(await rowIds(page)).toEqual([late, early]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
