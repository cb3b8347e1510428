// The Coverage view: every documented event type (plus unknown ones seen) under its
// category, with the counts GET /api/coverage gives; a count opens the filtered list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coverage } from '../../server/common/protocol.ts';
import { startTarget, type Target } from '../integration/sender-target.ts';
import { openPage, postEvent, rowIds, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();
let target: Target;

beforeAll(async () => {
  target = await startTarget(() => ({ status: 202, body: '{}' }));
});
afterAll(async () => {
  await target?.close();
});

describe('coverage view', () => {
  it('lists 29 types plus unknown ones by category, and each count filters the list', async () => {
    const risk = { title: 'Risk', category: 'Data at risk', event_type: 'policy_violation', sensitivity: 'High' };
    const a = await postEvent(e2e.inspector.receiverUrl, risk);
    const b = await postEvent(e2e.inspector.receiverUrl, risk);
    await postEvent(e2e.inspector.receiverUrl, { title: 'Mystery', category: 'Other', event_type: 'brand_new_type' });
    await postEvent(e2e.inspector.receiverUrl, { title: 'Infra', category: 'Infrastructure updates', event_type: 'new_data_type' });
    const res = await fetch(new URL(`/api/deliveries/${a}/replay`, e2e.inspector.uiUrl), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: target.url }),
    });
    expect(res.status).toBe(200);
    const api = (await (await fetch(new URL('/api/coverage', e2e.inspector.uiUrl))).json()) as Coverage;

    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    await page.getByTestId('coverage-button').click();
    const table = page.getByTestId('coverage-table');
    await table.waitFor();

    // 29 documented types and the unknown one, under the category headings the API gives.
    const types = await table.locator('tr[data-event-type]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-type')));
    expect(types).toHaveLength(30);
    expect(types).toEqual(api.categories.flatMap((c) => c.rows.map((r) => r.eventType)));
    const headings = await table.locator('.cov__category th').allTextContents();
    expect(headings).toEqual(api.categories.map((c) => c.label));
    expect(headings).toContain('Data at risk');
    const unknown = table.locator('tr[data-event-type="brand_new_type"]');
    expect(await unknown.textContent()).toContain('unknown');

    // The target's columns, and the replay counted as ok for policy_violation.
    expect(api.targets).toEqual([target.url]);
    expect(await table.locator('thead').textContent()).toContain(target.url);
    const row = table.locator('tr[data-event-type="policy_violation"]');
    const cells = await row.locator('td').allTextContents();
    // received, real sender, built-in sender, replay ok, replay failed, forward ok, forward failed, ...
    expect(cells.slice(0, 7)).toEqual(['2', '2', '0', '1', '0', '0', '0']);

    // A count opens the list filtered by that cell's query.
    const received = api.categories.flatMap((c) => c.rows).find((r) => r.eventType === 'policy_violation')!.received;
    await row.locator('td').first().locator('a').click();
    await page.getByTestId('coverage-dialog').waitFor({ state: 'detached' });
    await waitForList(page, received.query);
    expect(new URL(page.url()).searchParams.get('q')).toBe(received.query);
    expect((await rowIds(page)).sort()).toEqual([a, b].sort());

    // And the replay-ok cell lists only the replayed one.
    await page.getByTestId('coverage-button').click();
    const replayOk = page.getByTestId('coverage-table').locator('tr[data-event-type="policy_violation"] td').nth(3).locator('a');
    const q = (await replayOk.getAttribute('data-q'))!;
    await replayOk.click();
    await waitForList(page, q);
    expect(await rowIds(page)).toEqual([a]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
