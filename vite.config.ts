// Builds the Preact UI into dist/ui, which the UI listener serves. `npm run dev` proxies
// the API and the stream to a running `serve` (SOVEREN_INSPECTOR_UI_PORT, default 4780).
import type { IncomingMessage } from 'node:http';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const apiPort = process.env.SOVEREN_INSPECTOR_UI_PORT ?? '4780';
const devPort = Number(process.env.SOVEREN_INSPECTOR_DEV_PORT ?? 5173);
const apiOrigin = `http://127.0.0.1:${apiPort}`;
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * The API checks Origin exactly. Requests from the dev page itself are presented as the
 * API's own origin; any other Origin passes through unchanged, so the API still refuses
 * cross-site requests and WebSockets that arrive through the dev proxy.
 */
function rewriteOwnOrigin(proxyReq: { setHeader(name: string, value: string): void }, req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  if (LOOPBACK_HOST.test(host) && req.headers.origin === `http://${host}`) proxyReq.setHeader('origin', apiOrigin);
}

export default defineConfig({
  root: 'ui',
  plugins: [preact()],
  build: { outDir: '../dist/ui', emptyOutDir: true, sourcemap: true },
  server: {
    port: devPort,
    strictPort: true,
    proxy: {
      '/api': {
        target: apiOrigin,
        ws: true,
        changeOrigin: true,
        configure(proxy) {
          proxy.on('proxyReq', (proxyReq, req) => rewriteOwnOrigin(proxyReq, req));
          proxy.on('proxyReqWs', (proxyReq, req) => rewriteOwnOrigin(proxyReq, req));
        },
      },
    },
  },
});
