#!/usr/bin/env node
// CLI launcher: runs the compiled server in dist/ (`npm run build` writes it; `npm start`
// builds when the sources changed). A build without its entry is one line and exit 2.
import { fileURLToPath } from 'node:url';

try {
  await import('../dist/server/main.js');
} catch (err) {
  const dist = new URL('../dist/', import.meta.url).href;
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || typeof err.url !== 'string' || !err.url.startsWith(dist)) throw err;
  process.stderr.write(`soveren-inspector: the build is incomplete: ${fileURLToPath(err.url)} is missing; ` +
    'rebuild with "npm run build" in a clone of soveren-inspector, or reinstall the package\n');
  process.exitCode = 2;
}
