// Where the build lives and whether it is whole. Built, this module is dist/server/dist.js;
// from the TypeScript sources (tests, tsx) it is server/dist.ts and the UI is still taken
// from dist/ui. dist/build.json, written by scripts/build.mjs, lists every built file with
// its size: `serve` refuses to start on a build with a file missing or changed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Running the TypeScript sources rather than the build (tests, `npm run dev`, tsx). */
export const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** The dist/ folder of this installation. */
export const DIST_DIR = fileURLToPath(new URL(FROM_SOURCES ? '../dist/' : '../', import.meta.url));

export const UI_DIR = join(DIST_DIR, 'ui');

const REBUILD = 'rebuild with "npm run build" in a clone of soveren-inspector, or reinstall the package';

/** What is wrong with dist/ as one line that says how to repair it, or null when it is whole. */
export function findIncompleteBuild(dist: string = DIST_DIR): string | null {
  let files: Record<string, unknown>;
  try {
    files = (JSON.parse(readFileSync(join(dist, 'build.json'), 'utf8')) as { files: Record<string, unknown> }).files;
    if (typeof files !== 'object' || files === null) throw new Error('no file list');
  } catch {
    return `the build is incomplete: ${join(dist, 'build.json')} is missing or unreadable; ${REBUILD}`;
  }
  for (const [path, size] of Object.entries(files)) {
    const full = join(dist, path);
    if (!existsSync(full)) return `the build is incomplete: ${full} is missing; ${REBUILD}`;
    if (statSync(full).size !== size) return `the build is damaged: ${full} is not the file the build wrote; ${REBUILD}`;
  }
  return null;
}

/** A module of the build that failed to load because its file is gone, as such a line; else null. */
export function describeMissingModule(err: unknown): string | null {
  const e = err as (NodeJS.ErrnoException & { url?: string }) | null;
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || typeof e.url !== 'string' || !e.url.startsWith('file:') || FROM_SOURCES) return null;
  const missing = fileURLToPath(e.url);
  if (!missing.startsWith(DIST_DIR)) return null;
  return `the build is incomplete: ${missing} is missing; ${REBUILD}`;
}
