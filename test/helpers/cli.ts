// The one way tests run the real CLI (`node bin/soveren-inspector.js ...`): no SOVEREN_*
// variables inherited from the developer's shell, plus the ones a test gives.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/soveren-inspector.js', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a CLI child: ours minus SOVEREN_*, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SOVEREN_')) env[k] = v;
  return { ...env, ...extra };
}

/** Start the CLI; the caller reads its output and ends it. */
export function spawnCli(args: readonly string[], options: { env?: Record<string, string>; stdio?: StdioOptions } = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: root, env: cliEnv(options.env), stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'] });
}

/** Run the CLI to its end (killed after `timeoutMs`) and return its exit code and output. */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, { ...(options.env && { env: options.env }) });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
}
