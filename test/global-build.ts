// Vitest global setup: the tests spawn bin/soveren-inspector.js, which runs dist/, and serve
// the UI from dist/ui; build them first when the sources changed (a no-op when current).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function buildIfStale(): void {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts/build-if-stale.mjs')], { cwd: root, stdio: 'inherit' });
}
