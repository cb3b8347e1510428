// Writes package.json's version into server/version.ts; run by `npm version` (the "version"
// lifecycle script), so the constant follows every bump in the same commit.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const file = new URL('server/version.ts', root);
const source = readFileSync(file, 'utf8');
const next = source.replace(/export const VERSION = '[^']*';/, `export const VERSION = '${version}';`);
if (!next.includes(`'${version}'`)) throw new Error('server/version.ts: no `export const VERSION = \'...\';` line to rewrite');
writeFileSync(file, next);
