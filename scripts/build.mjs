// `npm run build`: the server compiled by tsc into dist/server (and dist/shared when the
// server imports it), the UI built by Vite into dist/ui, then dist/build.json: the digest of
// the sources it was built from (for build-if-stale.mjs) and every file it wrote, with its
// size (checked by `serve` at start-up, see server/dist.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { DIST, MANIFEST, ROOT, digestInputs, listBuiltFiles } from './build-inputs.mjs';

const quiet = process.argv.includes('--quiet');

async function step(what, work) {
  const started = performance.now();
  try {
    await work();
  } catch (err) {
    process.stderr.write(`build: ${what} failed: ${err.message}\n`);
    process.exit(1);
  }
  if (!quiet) process.stdout.write(`build: ${what} in ${Math.round(performance.now() - started)} ms\n`);
}

function runTsc() {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tsc exited ${r.status ?? r.signal}`);
}

// Digest first: a source edited while the build runs makes the next start rebuild.
const inputs = digestInputs();
rmSync(DIST, { recursive: true, force: true });
await step('server (tsc -p tsconfig.build.json)', runTsc);
await step('UI (vite build)', () => build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'ui'), logLevel: 'warn' }));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
writeFileSync(MANIFEST, JSON.stringify({ version, inputs, files: listBuiltFiles() }, null, 1) + '\n');
