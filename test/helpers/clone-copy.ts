// A copy of this clone in a temporary folder: its files (tracked and new, not ignored), its
// dist/ and a link to its node_modules. Tests that build or pack work there, so a build they
// cause never replaces the dist/ that the other tests are running meanwhile.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

export function copyClone(): string {
  const clone = mkdtempSync(join(tmpdir(), 'soveren-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of files.filter((f) => !/^(test|bench)\//.test(f) && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    cpSync(join(ROOT, f), join(clone, f));
  }
  cpSync(join(ROOT, 'dist'), join(clone, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  return clone;
}
