// What a build is made from and what it wrote, shared by build.mjs and build-if-stale.mjs:
// a digest of the source files (contents, not mtimes, so a checkout or a touch that changes
// nothing does not rebuild) and dist/build.json, the list of every built file with its size.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const DIST = join(ROOT, 'dist');
export const MANIFEST = join(DIST, 'build.json');

/** Everything the build reads from the clone; a missing entry (no shared/ yet) is skipped. */
const INPUTS = ['server', 'shared', 'ui', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'scripts/build.mjs'];

function listFiles(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => listFiles(join(path, name)));
}

/** sha256 over every input's path and contents. */
export function digestInputs(root = ROOT) {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((entry) => listFiles(join(root, entry)))) {
    hash.update(relative(root, file).split(sep).join('/') + '\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Every file under dist/ (but the manifest itself) with its size, by path relative to dist/. */
export function listBuiltFiles(dist = DIST) {
  const files = {};
  for (const file of listFiles(dist)) {
    const path = relative(dist, file).split(sep).join('/');
    if (path !== 'build.json') files[path] = statSync(file).size;
  }
  return files;
}

/** The manifest, or null when there is none or it cannot be read. */
export function readManifest(dist = DIST) {
  try {
    return JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** Why dist/ is not the build the manifest describes (a file missing, changed or added), or null. */
export function findDamage(dist = DIST, manifest = readManifest(dist)) {
  if (!manifest || typeof manifest.files !== 'object') return 'dist/build.json is missing';
  const found = listBuiltFiles(dist);
  for (const [path, size] of Object.entries(manifest.files)) {
    if (!(path in found)) return `dist/${path} is missing`;
    if (found[path] !== size) return `dist/${path} has changed since the build`;
  }
  // npm pack takes all of dist/: a file the build did not write must not ship.
  const extra = Object.keys(found).find((path) => !(path in manifest.files));
  return extra === undefined ? null : `dist/${extra} was not written by the build`;
}
