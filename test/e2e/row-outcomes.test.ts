// Each list row shows what became of its delivery's latest replay and forward: nothing when
// there was none, "replayed 202" when it succeeded, "replay failed 503" when it did not,
// live as the attempt is recorded and again after a reload (from the stored summary).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attempt } from '../../server/common/protocol.ts';
import { startTarget, type Target } from '../integration/sender-target.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const e2e = useE2eFixture();
let target: Target;

beforeAll(async () => {
  // Answers 202 to the first request and 503 to every later one.
  target = await startTarget((_req, index) => (index === 0 ? { status: 202, body: '{}' } : { status: 503, body: 'down' }));
});
afterAll(async () => {
  await target?.close();
});

async function replay(id: number): Promise<Attempt> {
  const res = await fetch(new URL(`/api/deliveries/${id}/replay`, e2e.inspector.uiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target: target.url }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Attempt;
}

describe('row outcomes', () => {
  it('shows none, ok and failed with status, live and after a reload', async () => {
    const event = { title: 'Outcome row', category: 'Other', event_type: 'discovery_complete' };
    const untouched = await postEvent(e2e.inspector.receiverUrl, event);
    const good = await postEvent(e2e.inspector.receiverUrl, event);
    const bad = await postEvent(e2e.inspector.receiverUrl, event);
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const row = (id: number) => page.locator(`.list .row[data-id="${id}"]`);
    expect(await row(good).getByTestId('replay-outcome').count()).toBe(0);

    expect((await replay(good)).status).toBe(202);
    expect((await replay(bad)).status).toBe(503);
    // Live: the attempt stream message updates the rows without a reload.
    await row(good).getByTestId('replay-outcome').waitFor();
    expect(await row(good).getByTestId('replay-outcome').textContent()).toBe('replayed 202');
    await row(bad).getByTestId('replay-outcome').waitFor();
    expect(await row(bad).getByTestId('replay-outcome').textContent()).toBe('replay failed 503');
    expect(await row(bad).getByTestId('replay-outcome').getAttribute('class')).toContain('badge--after-failed');

    // After a reload the stored summary says the same, and the untouched row still shows none.
    await page.reload();
    await waitForList(page);
    expect(await row(good).getByTestId('replay-outcome').textContent()).toBe('replayed 202');
    expect(await row(bad).getByTestId('replay-outcome').textContent()).toBe('replay failed 503');
    expect(await row(untouched).getByTestId('replay-outcome').count()).toBe(0);
    expect(await row(untouched).getByTestId('forward-outcome').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
