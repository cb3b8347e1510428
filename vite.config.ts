// Builds the Preact UI into dist/ui, which the UI listener serves. `npm run dev` proxies
// the API and the stream to a running `serve` (SOVEREN_INSPECTOR_UI_PORT, default 4780).
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const apiPort = process.env.SOVEREN_INSPECTOR_UI_PORT ?? '4780';

export default defineConfig({
  root: 'ui',
  plugins: [preact()],
  build: { outDir: '../dist/ui', emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: {
      '/api': {
        target: `http://127.0.0.1:${apiPort}`,
        ws: true,
        // The API checks Origin; present the proxied requests as the UI's own origin.
        headers: { origin: `http://127.0.0.1:${apiPort}` },
        changeOrigin: true,
      },
    },
  },
});
