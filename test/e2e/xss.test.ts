// Every payload, header and value is attacker-controlled: it must render as text, run
// nothing, and never become a non-http(s) link.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { rawRequest } from '../helpers/http.ts';
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

  it('values named like Object properties are facets, rows, chart keys and headers like any other', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const ids = new Map<string, number>();
    for (const name of names) {
      const event = { title: `named ${name}`, category: name, event_type: name, sensitivity: name };
      // A raw header list: fetch silently drops a header named __proto__.
      const res = await rawRequest(new URL(`/${name}`, e2e.inspector.receiverUrl).href, {
        headers: [['Content-Type', 'application/json'], [name, `value of ${name}`]], body: JSON.stringify(event),
      });
      ids.set(name, Number(res.headers['x-soveren-inspector-id']));
    }
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    for (const name of names) {
      await page.locator(`.row[data-id="${ids.get(name)}"]`).waitFor();
      for (const field of ['category', 'event_type', 'sensitivity']) {
        const facet = page.locator(`.facet[data-field="${field}"][data-value="${name}"]`);
        expect(await facet.locator('.facet__count').textContent(), `${field} ${name}`).toBe('1');
      }
      expect(await page.locator('.chart__key', { hasText: name }).count(), `chart key ${name}`).toBe(1);
    }
    // The tone class comes from a fixed list: payload text never lands in it.
    const classes = await page.locator('.row .badge[class*="badge--sens-"]').evaluateAll((els) => els.map((e) => e.className));
    for (const c of classes) expect(c).toMatch(/^badge badge--sens-(high|medium|low|unknown)$/);
    expect(classes.filter((c) => c.endsWith('unknown')).length).toBeGreaterThanOrEqual(names.length);

    await page.locator(`.row[data-id="${ids.get('__proto__')}"]`).click();
    const pane = page.locator(`.detail[data-id="${ids.get('__proto__')}"]`);
    await pane.waitFor();
    expect(await pane.locator('.headers th', { hasText: '__proto__' }).count()).toBe(1);
    expect(await pane.locator('.headers td', { hasText: 'value of __proto__' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('bidi controls are isolated and shown as marks in the list, facets, chart and detail', async () => {
    const spoof = 'rtl \u202eevil.exe\u202c';
    const event = { title: spoof, category: `cat \u2067x\u2069`, event_type: `type\u202dy`, sensitivity: `High\u202b`, [`key\u202e`]: `value \u202e` };
    // Paths and header values reach the store as text only through an import (the wire gives latin1).
    const line = JSON.stringify({ path: '/p\u202eq', headers: [['Content-Type', 'application/json'], ['X-Bidi', `h \u202eab`]], bodyText: JSON.stringify(event) });
    writeFileSync(join(e2e.inspector.dir, 'bidi.ndjson'), line + '\n');
    const imported = await runCli(['import', '--db', e2e.inspector.dbPath, join(e2e.inspector.dir, 'bidi.ndjson')]);
    expect(imported.code, imported.stderr).toBe(0);
    const id = Number(/ids? (\d+)/.exec(imported.stdout)![1]);

    const { page, errors } = await openPage(e2e.browser, `${e2e.inspector.uiUrl}?id=${id}`);
    const row = page.locator(`.row[data-id="${id}"]`);
    await row.waitFor();
    const pane = page.locator(`.detail[data-id="${id}"]`);
    await pane.locator('[data-testid="json-tree"] .jt-key').first().waitFor();
    expect(await row.locator('.row__title').textContent()).toBe('rtl ⟨RLO⟩evil.exe⟨PDF⟩');
    expect(await row.locator('.row__title bdi').count()).toBe(1);
    expect(await pane.locator('.detail__title').textContent()).toBe('rtl ⟨RLO⟩evil.exe⟨PDF⟩');
    expect(await pane.locator('.detail__title .bidi-mark').first().getAttribute('title')).toMatch(/^U\+202E /);
    expect(await pane.locator('.headers td', { hasText: 'h ⟨RLO⟩ab' }).count()).toBe(1);
    expect(await pane.textContent()).toContain('/p⟨RLO⟩q');
    expect(await page.locator('.facet[data-field="event_type"] .facet__label', { hasText: 'type⟨LRO⟩y' }).count()).toBe(1);
    await pane.getByRole('tab', { name: 'Raw' }).click();
    expect(await pane.getByTestId('raw-body').textContent()).toContain('rtl ⟨RLO⟩evil.exe⟨PDF⟩');
    // No bidi control is left in any text node or title anywhere on the page.
    const leftovers = await page.evaluate(() => {
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/[\u202a-\u202e\u2066-\u2069]/.test(n.textContent ?? '')) found.push(n.textContent!.slice(0, 60));
      for (const el of document.querySelectorAll('[title]')) if (/[\u202a-\u202e\u2066-\u2069]/.test(el.getAttribute('title')!)) found.push(`title: ${el.getAttribute('title')!.slice(0, 60)}`);
      return found;
    });
    expect(leftovers).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  // Last in this file: it moves stored times to the ends of what Date can hold.
  it('times at the ends of the Date range (stored by another tool) show in the list, chart and detail', async () => {
    const late = await postEvent(e2e.inspector.receiverUrl, { title: 'Far future', category: 'Other' });
    const early = await postEvent(e2e.inspector.receiverUrl, { title: 'Beyond range', category: 'Other' });
    const db = new Database(e2e.inspector.dbPath);
    try {
      db.prepare('UPDATE deliveries SET received_at = ? WHERE id = ?').run(8.64e15, late); // +275760-09-13
      db.prepare('UPDATE deliveries SET received_at = ? WHERE id = ?').run(9e15, early); // past the end: Date cannot hold it
    } finally {
      db.close();
    }
    const { page, errors } = await openPage(e2e.browser, e2e.inspector.uiUrl);
    await waitForList(page);
    await page.locator(`.row[data-id="${late}"]`).waitFor();
    await page.locator(`.row[data-id="${early}"]`).waitFor();
    await page.locator('.chart svg').waitFor();
    expect(await page.locator('.chart--empty').count()).toBe(0);
    await page.locator(`.row[data-id="${late}"]`).click();
    const pane = page.locator(`.detail[data-id="${late}"]`);
    await pane.waitFor();
    expect(await pane.locator('.detail__title').textContent()).toBe('Far future');
    expect(await pane.textContent()).toContain('275760-09-1');
    expect(errors).toEqual([]);
    await page.close();
  });
});
