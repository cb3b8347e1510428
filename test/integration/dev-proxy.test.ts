// `npm run dev`: Vite's proxy forwards the API and the stream to a running inspector,
// presenting the dev page's own requests with the API's origin and nobody else's.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import WebSocket from 'ws';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';

const root = join(import.meta.dirname, '../..');
let t: TestInspector;
let vite: ViteDevServer;
let devUrl: string;

beforeAll(async () => {
  t = await startTestInspector();
  process.env.SOVEREN_INSPECTOR_UI_PORT = new URL(t.uiUrl).port;
  process.env.SOVEREN_INSPECTOR_DEV_PORT = '0';
  vite = await createServer({ configFile: join(root, 'vite.config.ts'), root: join(root, 'ui'), logLevel: 'silent', server: { port: 0, strictPort: false } });
  await vite.listen();
  const port = (vite.httpServer!.address() as { port: number }).port;
  devUrl = `http://localhost:${port}`;
});
afterAll(async () => {
  await vite?.close();
  await t?.close();
  delete process.env.SOVEREN_INSPECTOR_UI_PORT;
  delete process.env.SOVEREN_INSPECTOR_DEV_PORT;
});

const wsStatus = (origin: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(`${devUrl.replace('http', 'ws')}/api/stream`, { headers: { origin } });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });

describe('dev proxy', () => {
  it('serves the API through the dev server', async () => {
    const health = await (await fetch(`${devUrl}/api/health`)).json();
    expect(health.uiUrl).toBe(t.uiUrl);
  });

  it('lets the dev page mutate and stream, and refuses other origins', async () => {
    const del = (origin: string) =>
      fetch(`${devUrl}/api/deliveries`, { method: 'DELETE', headers: { 'content-type': 'application/json', origin }, body: '{}' });
    expect((await del(devUrl)).status).toBe(200);
    expect((await del('http://evil.example')).status).toBe(403);
    expect(await wsStatus(devUrl)).toBe(101);
    expect(await wsStatus('http://evil.example')).toBe(403);
  });
});
