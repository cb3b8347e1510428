// `npm start` (prestart), `npm pack` (prepack) and the test suites (globalSetup): build only
// when dist/ is missing, damaged, or was built from other sources than the clone holds now.
// A digest of the sources takes a few milliseconds; a build takes seconds.
// --check: only say why a build is needed (exit 1), or nothing (exit 0).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, digestInputs, findDamage, readManifest } from './build-inputs.mjs';

/** Why a build is needed, or null when dist/ is the build of these sources. */
export function staleReason() {
  const manifest = readManifest();
  const damage = findDamage(undefined, manifest);
  if (damage) return damage;
  if (manifest.inputs !== digestInputs()) return 'the sources changed since the last build';
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reason = staleReason();
  if (reason === null) process.exit(0);
  if (process.argv.includes('--check')) {
    process.stdout.write(`${reason}\n`);
    process.exit(1);
  }
  process.stdout.write(`build: ${reason}; building\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
