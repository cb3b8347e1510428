// Runs a bench helper (server, WebSocket clients) in its own Node process through tsx, so
// the load generator never shares an event loop with what it measures. The child prints
// one JSON line when ready and then talks over IPC.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export interface Child<Ready> {
  process: ChildProcess;
  ready: Ready;
  /** Send a request over IPC and wait for the answer with the same `type`. */
  ask<T>(type: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

const here = fileURLToPath(new URL('..', import.meta.url));

export async function startChild<Ready>(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Child<Ready>> {
  const nodeArgs = ['--import', 'tsx'];
  if (process.env.BENCH_CPU_PROF && script.includes('servers/inspector')) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`);
  // An absolute path runs a helper of another checkout (a baseline to compare against).
  const child = spawn(process.execPath, [...nodeArgs, script.startsWith('/') ? script : here + script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code} before it was ready`));
    child.once('exit', onExit);
    lines.once('line', (l) => {
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(l) as Ready);
      } catch {
        reject(new Error(`${script}: expected a JSON ready line, got ${l.slice(0, 200)}`));
      }
    });
  });
  lines.on('line', (l) => console.log(`  [${script}] ${l}`));

  let seq = 0;
  return {
    process: child,
    ready,
    ask<T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
      const id = ++seq;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script}: no answer to ${type} in ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (m: { id?: number; result?: T; error?: string }) => {
          if (m.id !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          if (m.error) reject(new Error(m.error));
          else resolve(m.result as T);
        };
        child.on('message', onMessage);
        child.send({ id, type, ...payload });
      });
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** Child side: answer IPC requests by type. */
export function serveIpc(handlers: Record<string, (msg: Record<string, unknown>) => unknown>): void {
  process.on('message', async (m: { id: number; type: string } & Record<string, unknown>) => {
    const handler = handlers[m.type];
    try {
      if (!handler) throw new Error(`unknown request ${m.type}`);
      process.send!({ id: m.id, result: await handler(m) });
    } catch (err) {
      process.send!({ id: m.id, error: (err as Error).message });
    }
  });
}
