// The detail pane's SIEM section in real Chromium: switch through OCSF, ECS, CEF and Splunk HEC
// (output, field table, unmapped list), copy the CEF line (the clipboard holds exactly the API's
// line), and a body that is not a JSON object says why it has no mapping.
import { describe, expect, it } from 'vitest';
import { createEvent } from '../../server/soveren/events.ts';
import { openPage, postEvent, useE2eFixture } from './browser.ts';

const e2e = useE2eFixture();

describe('SIEM section', () => {
  it('shows the four formats and copies the CEF line', async () => {
    const event = { ...createEvent('3rd_party_policy_violation', { seed: 21 }), title: 'Shares | pipes = and "quotes" é' };
    const id = await postEvent(e2e.inspector.receiverUrl, event);
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e2e.inspector.uiUrl).origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.inspector.uiUrl}?id=${id}`);
    const siem = page.locator(`.detail[data-id="${id}"] [data-testid="siem-mapping"]`);
    await siem.waitFor();
    const output = siem.getByTestId('siem-mapping-output');
    const tab = (name: string) => siem.getByRole('tab', { name, exact: true });

    await output.and(page.locator('[data-format="ocsf"]')).waitFor();
    expect(await tab('OCSF').getAttribute('aria-selected')).toBe('true');
    expect(JSON.parse(await output.innerText())).toMatchObject({ class_uid: 2006, type_uid: 200601, message: event.title });
    await expect.poll(() => siem.getByTestId('siem-mapping-fields').innerText()).toContain('finding_info.title');
    expect(await siem.getByTestId('siem-mapping-unmapped').innerText()).toContain('user_agent');

    await tab('ECS').click();
    await output.and(page.locator('[data-format="ecs"]')).waitFor();
    expect(JSON.parse(await output.innerText())).toMatchObject({ ecs: { version: '9.4.0' }, message: event.title });
    expect(await siem.getByTestId('siem-mapping-fields').innerText()).toContain('http.request.method');

    await tab('Splunk HEC').click();
    await output.and(page.locator('[data-format="hec"]')).waitFor();
    expect(JSON.parse(await output.innerText())).toMatchObject({ sourcetype: 'soveren:event', event: { title: event.title } });
    expect(await siem.innerText()).toContain('Every field of the event has a Splunk HEC field');

    await tab('CEF').click();
    await output.and(page.locator('[data-format="cef"]')).waitFor();
    const shown = await output.innerText();
    expect(shown).toContain('CEF:0|Soveren|Soveren|1.0|3rd_party_policy_violation|Shares \\| pipes = and "quotes" é|8|');
    await siem.getByRole('button', { name: 'Copy CEF' }).click();
    await page.getByRole('status').filter({ hasText: 'CEF line copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const api = await (await fetch(new URL(`/api/deliveries/${id}/siem/cef`, e2e.inspector.uiUrl))).json();
    expect(copied).toBe(api.output);
    expect(copied).toContain('msg=Shares | pipes \\= and "quotes" é');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a body that is not a JSON object says why it cannot be mapped', async () => {
    const id = await postEvent(e2e.inspector.receiverUrl, '[1, 2, 3]');
    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    const message = page.locator(`.detail[data-id="${id}"] [data-testid="siem-mapping-error"]`);
    await message.waitFor();
    expect(await message.innerText()).toMatch(/cannot be mapped: the body is JSON but an array/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
