// Shared end-to-end helpers: the system Chromium via playwright-core (failing with one
// line when it is missing), the built UI, and posting deliveries to the receiver.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { InspectorConfig } from '../../server/inspector.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../..', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The server serves dist/ui, read at start-up: build it when missing or older than ui/. */
export async function ensureUiBuilt(): Promise<void> {
  const index = `${root}dist/ui/index.html`;
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(`${root}ui`)) return;
  const { build } = await import('vite');
  await build({ configFile: `${root}vite.config.ts`, root: `${root}ui`, logLevel: 'warn' });
}

/** A page that records uncaught errors, so a test can assert none happened. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The UI must run under its strict Content-Security-Policy: any violation is an error.
  await page.exposeFunction('__reportCspViolation', (text: string) => errors.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __reportCspViolation(t: string): void }).__reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  return { page, errors };
}

/** Wait until the list shows the result for this exact query and the stream is live. */
export async function waitForList(page: Page, q = ''): Promise<void> {
  await page.waitForFunction(
    (query) => {
      const list = document.querySelector('.list, [data-testid="empty-state"], [data-testid="no-matches"]');
      if (!list) return false;
      // Each of the three carries the query it answers: a stale one must not count.
      if (list.getAttribute('data-query') !== query) return false;
      return document.querySelector('[data-status="live"]') !== null;
    },
    q,
  );
}

export async function rowIds(page: Page): Promise<number[]> {
  return page.$$eval('.list .row', (rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
}

export interface PostOptions {
  path?: string;
  headers?: Record<string, string>;
}

/** POST an event (object or exact text) to the receiver; resolves with the stored id. */
export async function postEvent(receiverUrl: string, body: unknown, options: PostOptions = {}): Promise<number> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(new URL(options.path ?? '/', receiverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', ...options.headers },
    body: text,
  });
  await res.arrayBuffer();
  const id = Number(res.headers.get('x-soveren-inspector-id'));
  if (!Number.isInteger(id) || id <= 0) throw new Error(`receiver answered ${res.status} without a delivery id`);
  return id;
}

/** One browser and one inspector per test file: started before its tests, closed after. */
export function useE2eFixture(overrides: Partial<InspectorConfig> = {}): { readonly browser: Browser; readonly inspector: TestInspector } {
  const fixture = {} as { browser: Browser; inspector: TestInspector };
  beforeAll(async () => {
    await ensureUiBuilt();
    fixture.browser = await launchBrowser();
    fixture.inspector = await startTestInspector(overrides);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.inspector?.close();
  });
  return fixture;
}
