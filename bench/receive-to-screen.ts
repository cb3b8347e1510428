// Receive to screen: at a steady 1,000 deliveries/s, the latency from the receiver's
// answer arriving at the sender to the delivery's message arriving at a WebSocket client
// on /api/stream (both measured in this process, one clock), and, with the built UI open in
// Chromium, from the answer to the row being in the page's DOM (the page records times on
// its own clock; both clocks are wall-clock based, performance.timeOrigin + now()).
// Prints figures, never fails. Env: BENCH_R2S_SECONDS (default 10), BENCH_R2S_RATE (default 1000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Browser } from 'playwright-core';
import { startChild, type Child } from './lib/child.ts';
import { BENCH_TOKEN, signedBodies } from './lib/events.ts';
import { runPaced } from './lib/load.ts';
import { envInt, heading, line, ms, num, record, sleep, summarize } from './lib/report.ts';

const SECONDS = envInt('BENCH_R2S_SECONDS', 10);
const RATE = envInt('BENCH_R2S_RATE', 1000);

// Runs in the page before its own scripts: the first time each row id is in the DOM.
const PAGE_PROBE = `
  window.__rowSeen = new Map();
  new MutationObserver(() => {
    const t = performance.timeOrigin + performance.now();
    for (const row of document.querySelectorAll('.row[data-id]')) {
      const id = Number(row.getAttribute('data-id'));
      if (!window.__rowSeen.has(id)) window.__rowSeen.set(id, t);
    }
  }).observe(document, { subtree: true, childList: true });
`;

declare global {
  interface Window {
    __rowSeen: Map<number, number>;
  }
}


async function openBrowserPage(uiUrl: string): Promise<{ browser: Browser; collect: () => Promise<[number, number][]> } | string> {
  try {
    const { ensureUiBuilt, launchBrowser, waitForList } = await import('../test/e2e/browser.ts');
    await ensureUiBuilt();
    const browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(PAGE_PROBE);
    await page.goto(uiUrl);
    await waitForList(page);
    return { browser, collect: () => page.evaluate(() => [...window.__rowSeen.entries()]) };
  } catch (err) {
    return `not measured: ${(err as Error).message.split('\n')[0]}`;
  }
}

export async function benchReceiveToScreen(): Promise<void> {
  heading(`receive to screen: ${num(RATE)} deliveries/s for ${SECONDS} s`);
  const dir = mkdtempSync(join(tmpdir(), 'soveren-bench-r2s-'));
  const children: Child<unknown>[] = [];
  let browser: Browser | null = null;
  try {
    const inspector = await startChild<{ receiverUrl: string; uiUrl: string }>('servers/inspector.ts', [join(dir, 'r2s.db'), '100000', BENCH_TOKEN]);
    children.push(inspector);

    const wsSeen = new Map<number, number>();
    const ws = new WebSocket(new URL('api/stream', inspector.ready.uiUrl).href.replace(/^http/, 'ws'));
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        const at = performance.now();
        const m = JSON.parse(data.toString()) as { type: string; delivery?: { id: number } };
        if (m.type === 'delivery') wsSeen.set(m.delivery!.id, at);
        else if (m.type === 'live') resolve();
      });
      ws.once('error', reject);
    });

    const opened = await openBrowserPage(inspector.ready.uiUrl);
    if (typeof opened !== 'string') browser = opened.browser;

    const acks = new Map<number, number>();
    const sends = new Map<number, number>();
    const r = await runPaced({
      url: inspector.ready.receiverUrl, rate: RATE, seconds: SECONDS, bodies: signedBodies(2000),
      onAck: (id, status, at, sentAt) => {
        if (status >= 300) return;
        acks.set(id, at);
        sends.set(id, sentAt);
      },
    });
    await sleep(1000); // stragglers
    ws.close();

    const wsLatency: number[] = [];
    const fromSend: number[] = [];
    const answered: number[] = [];
    let missing = 0;
    for (const [id, at] of acks) {
      const seen = wsSeen.get(id);
      answered.push(at - sends.get(id)!);
      if (seen === undefined) missing++;
      else {
        wsLatency.push(seen - at);
        fromSend.push(seen - sends.get(id)!);
      }
    }
    const w = summarize(wsLatency);
    const e2e = summarize(fromSend);
    const rt = summarize(answered);
    const ahead = wsLatency.filter((x) => x < 0).length;
    line('sent, evenly paced', `${num(r.sent / (r.elapsedMs / 1000))} req/s for ${(r.elapsedMs / 1000).toFixed(1)} s, ${num(acks.size)} acknowledged${r.failed ? `, ${r.failed} failed` : ''}`);
    line('answer -> WebSocket message', `p50 ${ms(w.p50, 2)}, p99 ${ms(w.p99, 2)}, max ${ms(w.max, 1)}${missing ? `, ${missing} never arrived` : ''}`);
    line('  message arrived before the answer', `${num(ahead)} of ${num(wsLatency.length)} (the stream is pushed before answers go out)`);
    line('request sent -> answer / -> WebSocket message', `p50 ${ms(rt.p50, 2)} / ${ms(e2e.p50, 2)}, p99 ${ms(rt.p99, 2)} / ${ms(e2e.p99, 2)}`);
    record({ bench: 'receive-to-screen', metric: `answer -> WS message p50 / p99 at ${num(RATE)}/s`, value: `${ms(w.p50, 1)} / ${ms(w.p99, 1)}`, target: 'p99 <= 25 ms', met: w.p99 <= 25 && missing === 0 });

    if (typeof opened === 'string') {
      line('answer -> row in the DOM (Chromium)', opened);
      record({ bench: 'receive-to-screen', metric: 'answer -> row in DOM (Chromium)', value: opened, target: 'p99 <= 100 ms', met: null });
    } else {
      const seen = new Map(await opened.collect());
      // Rows newer than a delivery replace it at the top of the list, so a row may never be
      // drawn; "caught up" is when the DOM first showed this row or a newer one.
      const ids = [...acks.keys()].sort((a, b) => b - a);
      const caughtUp: number[] = [];
      const drawn: number[] = [];
      let earliest = Infinity;
      const seenSorted = [...seen.entries()].sort((a, b) => b[0] - a[0]);
      let k = 0;
      for (const id of ids) {
        while (k < seenSorted.length && seenSorted[k]![0] >= id) earliest = Math.min(earliest, seenSorted[k++]![1]);
        const answered = performance.timeOrigin + acks.get(id)!;
        if (Number.isFinite(earliest)) caughtUp.push(earliest - answered);
        const own = seen.get(id);
        if (own !== undefined) drawn.push(own - answered);
      }
      const c = summarize(caughtUp);
      const d = summarize(drawn);
      line('answer -> DOM shows the row or a newer one', `p50 ${ms(c.p50, 1)}, p99 ${ms(c.p99, 1)}, max ${ms(c.max, 1)}`);
      line('answer -> the row itself in the DOM', `p50 ${ms(d.p50, 1)}, p99 ${ms(d.p99, 1)} (${num(drawn.length)} of ${num(ids.length)} rows drawn)`);
      record({ bench: 'receive-to-screen', metric: 'answer -> row in DOM (Chromium) p50 / p99', value: `${ms(c.p50, 1)} / ${ms(c.p99, 1)}`, target: 'p99 <= 100 ms', met: c.p99 <= 100 && caughtUp.length === ids.length });
    }
  } finally {
    await browser?.close();
    for (const c of children.reverse()) await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchReceiveToScreen();
