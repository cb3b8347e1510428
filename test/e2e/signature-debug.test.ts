// Signature debugging for an `invalid` verdict: the masked sha256= each configured token
// expects, beside the received one; "Try a token" recomputes the verdict in the page, and
// the typed token goes nowhere (no request, URL or storage carries it).
import { describe, expect, it } from 'vitest';
import type { SignatureExpectation } from '../../server/common/protocol.ts';
import { signBody } from '../../server/soveren/signature.ts';
import { openPage, postEvent, useE2eFixture, waitForList } from './browser.ts';

const TOKENS = ['newest-token-e2e', 'older-token-e2e'];
const SIGNER = 'the-connector-has-this-one';
const e2e = useE2eFixture({ tokens: TOKENS });

const mask = (sig: string) => `sha256=${sig.slice(7, 13)}…${sig.slice(-4)}`;

describe('signature debugging', () => {
  it('shows masked expected digests per token and checks a typed token in place', async () => {
    const body = '{"title":"Signed elsewhere","category":"Other","event_type":"discovery_complete"}';
    const received = signBody(body, SIGNER);
    const id = await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': received } });

    // The API answers masks only: neither token nor any whole expected digest.
    const res = await fetch(new URL(`/api/deliveries/${id}/signature`, e2e.inspector.uiUrl));
    const text = await res.text();
    for (const t of TOKENS) {
      expect(text).not.toContain(t);
      expect(text).not.toContain(signBody(body, t).slice(7));
    }
    const api = JSON.parse(text) as SignatureExpectation;
    expect(api.expected.map((e) => e.masked)).toEqual(TOKENS.map((t) => mask(signBody(body, t))));
    expect(api.expected.every((e) => !e.matches)).toBe(true);
    expect((await fetch(new URL('/api/deliveries/999999/signature', e2e.inspector.uiUrl))).status).toBe(404);
    expect((await fetch(new URL('/api/deliveries/abc/signature', e2e.inspector.uiUrl))).status).toBe(400);

    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    await waitForList(page);
    const debug = page.locator(`.detail[data-id="${id}"]`).getByTestId('signature-debug');
    const table = debug.getByTestId('signature-expected');
    await table.waitFor();
    expect(await table.locator('tr[data-kind="received"] code').textContent()).toBe(mask(received));
    const rows = await table.locator('tr[data-kind="expected"]').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(mask(signBody(body, TOKENS[0]!)));
    expect(rows[0]).toContain('differs');
    expect(rows[1]).toContain(mask(signBody(body, TOKENS[1]!)));

    // Try a token: a wrong one, then the one that signed.
    const input = debug.getByLabel('Token to try');
    await input.fill('not-it');
    await input.press('Enter');
    const verdict = debug.getByTestId('try-token-verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe('invalid');
    expect(await verdict.textContent()).toContain(mask(signBody(body, 'not-it')));
    await input.fill(SIGNER);
    await debug.getByRole('button', { name: 'Check' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="try-token-verdict"]')?.getAttribute('data-verdict') === 'valid');
    expect(await verdict.textContent()).toContain('this token signed exactly these bytes');

    // The typed token went nowhere.
    expect(sent.join('\n')).not.toContain(SIGNER);
    expect(page.url()).not.toContain(SIGNER);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain(SIGNER);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers no expected digests for a valid signature', async () => {
    const body = '{"title":"Fine","category":"Other","event_type":"discovery_complete"}';
    const id = await postEvent(e2e.inspector.receiverUrl, body, { headers: { 'x-soveren-signature': signBody(body, TOKENS[1]!) } });
    const { page } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    const panel = page.locator(`.detail[data-id="${id}"]`).getByTestId('signature-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Matched token 2 of 2');
    expect(await panel.getByTestId('signature-debug').count()).toBe(0);
    await page.close();
  });
});
