// UI at scale: seeds 100k deliveries straight into the store, then measures in Chromium
// the time to the first rendered list and to apply filters, plus scrolling deep into the
// list. Prints figures; never fails. Run: npx tsx bench/ui-scale.ts [count]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/store/db.ts';
import { createDeliveryStore } from '../server/store/deliveries.ts';
import type { NewDelivery } from '../server/delivery/new-delivery.ts';
import { analyzeRequest } from '../server/receiver/analyze.ts';
import { createEvents, serializeEvent } from '../server/soveren/events.ts';
import { signBody } from '../server/soveren/signature.ts';
import { startInspector } from '../server/inspector.ts';
import { testConfig } from '../test/helpers/inspector.ts';
import { ensureUiBuilt, launchBrowser } from '../test/e2e/browser.ts';

const COUNT = Number(process.argv[2] ?? 100_000);
const TOKEN = 'bench-token';

function seed(dbPath: string): number {
  const started = performance.now();
  const db = openDatabase(dbPath);
  const store = createDeliveryStore(db, { maxDeliveries: COUNT * 2 });
  const policy = { tokens: [TOKEN], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
  const now = Date.now();
  const span = 24 * 3600_000;
  const rounds = Math.ceil(COUNT / 29);
  const events = createEvents({ all: true, count: rounds, seed: 7 }).slice(0, COUNT);
  let batch: NewDelivery[] = [];
  events.forEach((event, i) => {
    const body = Buffer.from(serializeEvent({ ...event, title: `${event.title} #${i}` }));
    const sig = i % 17 === 0 ? signBody(body.toString() + 'x', TOKEN) : signBody(body, TOKEN);
    batch.push(
      analyzeRequest(
        {
          receivedAt: now - span + Math.floor((i / COUNT) * span),
          method: 'POST',
          url: i % 10 === 0 ? '/hooks/soveren' : '/',
          remoteAddress: '127.0.0.1',
          rawHeaders: ['Host', '127.0.0.1:4781', 'User-Agent', 'SoverenWebhook/1.0', 'Content-Type', 'application/json',
            'x-soveren-signature', sig, 'Content-Length', String(body.length)],
          body,
        },
        policy,
      ),
    );
    if (batch.length === 5000) {
      store.insertBatch(batch);
      batch = [];
    }
  });
  if (batch.length) store.insertBatch(batch);
  db.close();
  return performance.now() - started;
}

// Records, inside the page, each time the list starts showing rows for another query.
const PAGE_PROBE = `
  window.__marks = [];
  let shown = null;
  new MutationObserver(() => {
    const list = document.querySelector('.list');
    if (!list || !list.querySelector('.row')) return;
    const q = list.getAttribute('data-query');
    if (q !== null && q !== shown) {
      shown = q;
      window.__marks.push({ q, t: performance.now() });
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-query'] });
`;

type Mark = { q: string; t: number };
declare global {
  interface Window {
    __marks: Mark[];
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'soveren-ui-bench-'));
  const dbPath = join(dir, 'bench.db');
  const lines: string[] = [];
  const print = (label: string, value: string) => {
    const line = `${label.padEnd(44)} ${value}`;
    lines.push(line);
    console.log(line);
  };
  try {
    await ensureUiBuilt();
    console.log(`seeding ${COUNT.toLocaleString('en-US')} deliveries…`);
    print('seed (store insert)', `${(seed(dbPath) / 1000).toFixed(1)} s`);

    const inspector = await startInspector(testConfig(dbPath, { tokens: [TOKEN], maxDeliveries: COUNT * 2 }));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(PAGE_PROBE);
      /** When the list first showed rows for q after t0 (page clock). */
      const shownAt = async (q: string, t0: number) => {
        const handle = await page.waitForFunction(
          ([query, after]) => window.__marks.find((m) => m.q === query && m.t >= after)?.t ?? false,
          [q, t0] as const,
          { timeout: 30_000 },
        );
        return (await handle.jsonValue()) as number;
      };

      // Cold-ish first load (the server has the database open; the browser cache is empty).
      await page.goto(inspector.uiUrl);
      const firstList = await shownAt('', 0);
      const nav = await page.evaluate(() => {
        const e = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { dcl: e.domContentLoadedEventEnd };
      });
      print('first rendered list (from navigation start)', `${firstList.toFixed(0)} ms`);
      print('  DOMContentLoaded', `${nav.dcl.toFixed(0)} ms`);

      const filter = async (label: string, q: string, act: () => Promise<void>) => {
        await page.waitForSelector('[data-status="live"]');
        const t0 = await page.evaluate(() => performance.now());
        await act();
        const t1 = await shownAt(q, t0);
        const rows = await page.$$eval('.list .row', (r) => r.length);
        print(label, `${(t1 - t0).toFixed(0)} ms  (${rows} rows in the DOM)`);
      };
      await filter('filter: facet click event_type', 'event_type:policy_violation', () =>
        page.locator('.facet[data-field="event_type"][data-value="policy_violation"]').click());
      await filter('filter: add Alt-click exclusion -sig:valid', 'event_type:policy_violation -sig:valid', () =>
        page.locator('.facet[data-field="sig"][data-value="valid"]').click({ modifiers: ['Alt'] }));
      await filter('filter: Back button', 'event_type:policy_violation', async () => void (await page.goBack()));
      await filter('filter: free-text search (Enter)', 'orders', async () => {
        await page.locator('.search__input').fill('orders');
        await page.keyboard.press('Enter');
      });
      await filter('filter: clear', '', () => page.locator('.search__clear').click());

      // Scroll deep: every page comes from the API with the before cursor.
      const t0 = performance.now();
      let loaded = 0;
      for (let i = 0; i < 40 && loaded < 5000; i++) {
        await page.locator('.list').evaluate((el) => el.scrollTo(0, el.scrollHeight));
        await page.waitForTimeout(60);
        loaded = Number(await page.locator('.list').getAttribute('data-count'));
      }
      const domRows = await page.$$eval('.list .row', (r) => r.length);
      print('scroll to ~5,000 loaded rows', `${(performance.now() - t0).toFixed(0)} ms (${loaded} loaded, ${domRows} rows in the DOM)`);

      // Frame pacing while scrolling the loaded rows.
      const frames = await page.locator('.list').evaluate(async (el) => {
        const times: number[] = [];
        let last = performance.now();
        for (let i = 0; i < 120; i++) {
          el.scrollTop = (i % 2 ? 1 : 0) * 1000 + i * 400;
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        times.sort((a, b) => a - b);
        return { p50: times[60]!, p95: times[114]!, max: times[119]! };
      });
      print('scroll frame time p50 / p95 / max', `${frames.p50.toFixed(1)} / ${frames.p95.toFixed(1)} / ${frames.max.toFixed(1)} ms`);
      const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
      if (heap) print('JS heap after scrolling', `${(heap / 1024 / 1024).toFixed(1)} MiB`);
    } finally {
      await browser.close();
      await inspector.close();
    }
  } catch (err) {
    console.log(`bench did not complete: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
