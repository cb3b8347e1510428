// Runs `check URL --through SINK --json` as a user does (the real CLI in a child process)
// and hands back the exit code, the JSON report and stderr; plus a free port for the sinks
// the check starts itself.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CheckReport, CheckResult, SinkKind } from '../../server/common/protocol.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ThroughRun {
  url: string;
  token: string;
  through: SinkKind;
  sinkPort: number;
  syslogPort: number;
  sinkToken: string;
  only?: string;
  wait?: string;
}

export function runThroughCheck(run: ThroughRun): Promise<{ code: number | null; report: CheckReport; stderr: string }> {
  const args = ['bin/soveren-inspector.js', 'check', run.url, '--token', run.token, '--json', '--through', run.through,
    '--sink-port', String(run.sinkPort), '--syslog-port', String(run.syslogPort), '--sink-token', run.sinkToken,
    '--sink-wait', run.wait ?? '8s', ...(run.only ? ['--only', run.only] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout) as CheckReport, stderr });
      } catch {
        reject(new Error(`no JSON report (exit ${code}): ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

export const siemResult = (report: CheckReport, id: string): CheckResult => report.scenarios.find((s) => s.id === id)!;
