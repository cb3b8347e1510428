// SIEM outputs after a lost WebSocket: the page reconnects with outputsSince (its newest output
// id), so outputs the sinks committed while it was disconnected appear in the delivery's
// "Reached your SIEM" and in the SIEM outputs list, each once.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { OutputSummary } from '../../server/common/protocol.ts';
import { createEvent, serializeEvent } from '../../server/soveren/events.ts';
import { postEvent, useE2eFixture } from './browser.ts';

const e2e = useE2eFixture();

interface WsProbe {
  blocked: boolean;
  sockets: WebSocket[];
  urls: string[];
  /** Output ids as each socket received them, in order. */
  outputs: number[];
}

/** A page whose WebSockets the test can cut and hold down (to a path the server refuses). */
async function openProbedPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await e2e.browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const probe: WsProbe = { blocked: false, sockets: [], urls: [], outputs: [] };
    (window as unknown as { __ws: WsProbe }).__ws = probe;
    window.WebSocket = class extends Native {
      constructor(target: string | URL, protocols?: string | string[]) {
        // Held down: the server answers this path with 404, so the page sees a failed connection and backs off.
        super(probe.blocked ? String(target).replace('/api/stream', '/api/stream-held-down') : target, protocols);
        probe.sockets.push(this);
        probe.urls.push(String(target));
        this.addEventListener('message', (e: MessageEvent) => {
          const m = JSON.parse(String(e.data)) as { type: string; output?: { id: number } };
          if (m.type === 'output') probe.outputs.push(m.output!.id);
        });
      }
    } as typeof WebSocket;
  });
  await page.goto(url);
  return { page, errors };
}

async function hec(event: unknown): Promise<void> {
  const r = await fetch(e2e.inspector.inspector.sinkUrl + 'services/collector/event', { method: 'POST', headers: { authorization: 'Splunk any' }, body: JSON.stringify({ event }) });
  expect(await r.json()).toEqual({ text: 'Success', code: 0 });
}

const storedOutputs = async () => ((await (await fetch(new URL('/api/outputs?limit=100', e2e.inspector.uiUrl))).json()) as { items: OutputSummary[] }).items;

describe('SIEM outputs across a reconnect', () => {
  it('shows the outputs sent while the page was disconnected, once each', async () => {
    await hec({ title: 'before the page', note: 'resume-before' });
    const event = createEvent('policy_violation', { seed: 77 });
    const id = await postEvent(e2e.inspector.receiverUrl, serializeEvent(event));
    const { page, errors } = await openProbedPage(`${e2e.inspector.uiUrl}?id=${id}`);
    const pane = page.locator(`.detail[data-id="${id}"]`);
    await pane.getByTestId('siem-waiting').waitFor();
    await page.locator('[data-status="live"]').waitFor();
    await page.getByTestId('outputs-button').click();
    const dialog = page.getByTestId('outputs-dialog');
    await dialog.locator('[data-testid="output-row"]', { hasText: 'before the page' }).waitFor();
    const newestBefore = Math.max(...(await storedOutputs()).map((o) => o.id));

    // Cut the stream and keep it down while the connector writes.
    await page.evaluate(() => {
      const probe = (window as unknown as { __ws: WsProbe }).__ws;
      probe.blocked = true;
      probe.sockets.at(-1)!.close();
    });
    await page.locator('[data-status="reconnecting"]').waitFor();
    await hec({ ...event, note: 'resume-1' });
    await hec({ message: 'renamed', url: event.event_link, note: 'resume-2' });
    await hec({ title: 'written while away', note: 'resume-unlinked' });
    const sent = (await storedOutputs()).filter((o) => o.id > newestBefore).map((o) => o.id).sort((a, b) => a - b);
    expect(sent).toHaveLength(3);
    // Nothing reached the page while it was down (its last socket is closed).
    expect(await pane.getByTestId('siem-output').count()).toBe(0);

    await page.evaluate(() => {
      (window as unknown as { __ws: WsProbe }).__ws.blocked = false;
    });
    await page.locator('[data-status="live"]').waitFor({ timeout: 20_000 });
    await page.waitForFunction((n) => document.querySelectorAll('.detail [data-testid="siem-output"]').length === n, 2);
    await dialog.locator('[data-testid="output-row"]', { hasText: 'written while away' }).waitFor();

    const probe = await page.evaluate(() => (window as unknown as { __ws: WsProbe }).__ws);
    // The reconnection asked for everything after the newest output the page had.
    expect(probe.urls.at(-1)).toContain(`outputsSince=${newestBefore}`);
    // Each output reached the page once.
    expect(probe.outputs.filter((o) => o > newestBefore)).toEqual(sent);
    expect(await pane.getByTestId('siem-output').count()).toBe(2);
    expect(await dialog.locator('[data-testid="output-row"]', { hasText: 'written while away' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
