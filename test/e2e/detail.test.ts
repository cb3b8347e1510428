// The detail pane: headers in received order, the body as a tree and exactly as received,
// and the signature verdict with the server's reason in plain words.
import { describe, expect, it } from 'vitest';
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const TOKEN = 'e2e-secret';
const e2e = useE2eFixture({ tokens: [TOKEN] });

async function detailOf(id: number): Promise<DeliveryDetail> {
  return (await (await fetch(new URL(`/api/deliveries/${id}`, e2e.inspector.uiUrl))).json()) as DeliveryDetail;
}

describe('detail pane', () => {
  it('shows headers in order, the body both ways, and why the signature failed', async () => {
    const body = '{"title":"Tampered","category":"Data at risk","event_type":"policy_violation","sensitivity":"High","data_types":["Email"]}';
    const id = await postEvent(e2e.inspector.receiverUrl, body, {
      headers: { 'x-soveren-signature': signBody(body.replace('Tampered', 'Original'), TOKEN), 'x-first': 'one', 'x-second': 'two' },
    });
    const stored = await detailOf(id);
    expect(stored.signature).toBe('invalid');

    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    await page.locator(`.row[data-id="${id}"]`).click();
    const pane = page.locator(`.detail[data-id="${id}"]`);
    await pane.waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toBe(String(id));

    // Headers, in the order they were received.
    const names = await pane.locator('[data-testid="headers"] th').allTextContents();
    expect(names).toEqual(stored.headers.map(([n]) => n));
    expect(names.indexOf('x-first')).toBeLessThan(names.indexOf('x-second'));
    expect(await pane.locator('[data-testid="headers"]').textContent()).toContain(stored.signatureDetail.headers[0]!);

    // Body: tree first, then raw bytes exactly.
    const tree = pane.getByTestId('json-tree');
    expect(await tree.textContent()).toContain('"Tampered"');
    expect(await tree.textContent()).toContain('"data_types"');
    await pane.getByRole('tab', { name: 'Raw' }).click();
    expect(await pane.getByTestId('raw-body').textContent()).toBe(body);

    // Verdict and the reason in plain words.
    const sig = pane.getByTestId('signature-panel');
    const text = (await sig.textContent()) ?? '';
    expect(text).toContain('invalid');
    expect(stored.signatureDetail.reason.length).toBeGreaterThan(5);
    expect(text).toContain(stored.signatureDetail.reason);
    expect(text).toContain('Matched none of the 1 configured token');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens from ?id=, names the matching token, and hex-dumps binary bodies', async () => {
    const body = '{"title":"Signed","event_type":"new_data_type","category":"New data type"}';
    const good = await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, TOKEN) } });
    const { page } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${good}`);
    const pane = page.locator(`.detail[data-id="${good}"]`);
    await pane.waitFor();
    expect(await pane.getByTestId('signature-panel').textContent()).toContain('Matched the configured token');
    expect(await pane.textContent()).toContain('sent as “New data type”');

    const res = await fetch(e2e.inspector.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0xff, 0x00, 0x41]) });
    const binary = Number(res.headers.get('x-soveren-inspector-id'));
    await page.locator(`.row[data-id="${binary}"]`).click();
    const raw = page.locator(`.detail[data-id="${binary}"]`).getByTestId('raw-body');
    expect(await raw.textContent()).toContain('ff 00 41');
    await page.close();
  });

  it('moves with j/k, opens with Enter, closes with Esc', async () => {
    const { page } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    const ids = await page.$$eval('.list .row', (rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await page.locator('.row--selected').getAttribute('data-id')).toBe(String(ids[1]));
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.locator(`.detail[data-id="${ids[0]}"]`).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.locator(`.detail[data-id="${ids[1]}"]`).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.detail--placeholder').waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toBeNull();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.close();
  });
});
