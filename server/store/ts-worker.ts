// Worker threads that run this project's TypeScript: the thread registers tsx's loader
// itself (a programmatic register in the parent is not inherited), then imports its entry.
// A failure to start is reported as a { type: 'fatal' } message, like any other fatal error.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** URL of tsx's ESM register API, found through its package.json exports (ESM condition). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(manifest.exports['./esm/api']!.import.default, pathToFileURL(manifestPath)).href;
}

export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const bootstrap = `(async () => {
    const tsx = await import(${JSON.stringify(tsxEsmApi())});
    (tsx.register ?? tsx.default.register)();
    await import(${JSON.stringify(entry.href)});
  })().catch((err) => { require('node:worker_threads').parentPort.postMessage({ type: 'fatal', message: String(err && err.stack || err) }); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
