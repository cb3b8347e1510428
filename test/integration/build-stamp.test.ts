// `npm start` from a clone builds only when it must: in a copy of this clone (its files and
// its dist/, built there first if stale), a start with unchanged sources builds nothing; a
// touched file changes nothing; an edited source, a missing built file or a stray one in
// dist/ is reported by the stamp check as the reason to build.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyClone } from '../helpers/clone-copy.ts';

let clone: string;

beforeAll(() => {
  clone = copyClone();
  // The first start: builds only if the sources changed after the suite's build (an edit
  // during the run); the second start, below, must not build.
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: clone, stdio: 'ignore' });
}, 120_000);
afterAll(() => rmSync(clone, { recursive: true, force: true }));

/** The stamp check alone: the reason to build, or '' when dist/ is current. */
function staleReason(): string {
  try {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs', '--check'], { cwd: clone, encoding: 'utf8' });
    return '';
  } catch (err) {
    return String((err as { stdout: string }).stdout).trim();
  }
}

describe('npm start in a clone', () => {
  it('starts without building when the sources are those dist/ was built from', async () => {
    const manifest = statSync(join(clone, 'dist/build.json')).mtimeMs;
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
    delete env.NODE_OPTIONS;
    const child = spawn('npm', ['start', '--silent', '--', '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', '--quiet', '--db', join(clone, 'x.db')], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => /^ui: /m.test(out) && resolve());
      child.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM'); // the group: npm, its shell and serve
    await exited;
    expect(out).not.toMatch(/build/);
    expect(statSync(join(clone, 'dist/build.json')).mtimeMs).toBe(manifest);
  });

  it('ignores a touch, and names an edited source, a missing built file and a stray one', () => {
    expect(staleReason()).toBe('');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(clone, 'server/main.ts'), later, later);
    expect(staleReason()).toBe('');

    const version = join(clone, 'server/version.ts');
    const source = readFileSync(version, 'utf8');
    writeFileSync(version, source + '// edited\n');
    expect(staleReason()).toBe('the sources changed since the last build');
    writeFileSync(version, source);
    expect(staleReason()).toBe('');

    const index = join(clone, 'dist/ui/index.html');
    const html = readFileSync(index);
    rmSync(index);
    expect(staleReason()).toBe('dist/ui/index.html is missing');
    writeFileSync(index, html);
    writeFileSync(join(clone, 'dist/stray.txt'), 'x');
    expect(staleReason()).toBe('dist/stray.txt was not written by the build');
  });
});
