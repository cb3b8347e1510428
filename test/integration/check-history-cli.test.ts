// A check run from a terminal (`check --db FILE`, the very command the Check dialog shows)
// joins the running inspector's history live; a failed scenario keeps its request and the
// connector's answer, whose curl command sends the same bytes again; the stored run
// downloads as the CLI's JUnit and JSON reports. The token is never stored or shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckReport, CheckRun, CheckRunPage } from '../../server/common/protocol.ts';
import { formatCheckCommand } from '../../server/common/check-command.ts';
import { DEFAULT_CHECK_SETTINGS } from '../../server/check/scenarios.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { BIN, cliEnv } from '../helpers/cli.ts';
import { openStream, type StreamClient } from '../helpers/stream.ts';
import { findAll, parseXml } from '../helpers/check-xml.ts';
import { header, startTarget, type Target } from './sender-target.ts';

const TOKEN = 'whsec-History-Cli-77f2';
const LONG_ANSWER = 'accepted '.repeat(600) + 'END-OF-ANSWER';
let t: TestInspector;
let lax: Target;
let stream: StreamClient;

/** sh runs the command as a user pastes it, with `npx soveren-inspector` meaning this build. */
function runShell(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd, env: cliEnv(env), timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const api = async <T>(path: string): Promise<T> => (await (await fetch(new URL(path, t.uiUrl))).json()) as T;

beforeAll(async () => {
  t = await startTestInspector({ adoptIntervalMs: 50 });
  // A connector that accepts everything, bad signatures included, with a long answer.
  lax = await startTarget(() => ({ status: 200, headers: { 'x-connector': 'lax' }, body: LONG_ANSWER }));
  stream = await openStream(t.uiUrl);
});
afterAll(async () => {
  await stream?.close();
  await lax?.close();
  await t?.close();
});

describe('check runs from the CLI in the UI history', () => {
  it('records a terminal run with --db; the running inspector streams it into the history', async () => {
    const settings = { ...DEFAULT_CHECK_SETTINGS, burst: 5, timeoutMs: 3000, only: 'signature' };
    const command = formatCheckCommand(lax.url, settings);
    expect(command).not.toContain(TOKEN);
    const shell = `${command.replace(/^npx soveren-inspector /, `'${process.execPath}' '${BIN}' `)} --db '${t.dbPath}'`;
    const run = await runShell(shell, t.dir, { SOVEREN_WEBHOOK_TOKEN: TOKEN });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('FAILED: 6 required scenarios failed');
    const id = Number(/recorded as check run #(\d+) in /.exec(run.stderr)?.[1]);
    expect(id).toBeGreaterThan(0);
    // The command's --junit check.xml landed where it ran.
    expect(findAll(parseXml(readFileSync(join(t.dir, 'check.xml'), 'utf8')), 'failure')).toHaveLength(6);

    await stream.waitFor((ms) => ms.some((m) => m.type === 'check-run' && m.run.id === id));
    const page = await api<CheckRunPage>('/api/checks');
    expect(page.items[0]).toMatchObject({ id, source: 'cli', state: 'failed', url: lax.url, counts: { failed: 6 } });
    expect(page.items[0]!.settings).toMatchObject({ burst: 5, only: 'signature', timeoutMs: 3000 });

    const stored = await api<CheckRun>(`/api/checks/${id}`);
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    const failed = stored.results.filter((r) => r.outcome === 'fail');
    expect(failed).toHaveLength(6);
    for (const r of failed) expect([r.id, r.exchange?.response?.status]).toEqual([r.id, 200]);
    const x = stored.results.find((r) => r.id === 'signature-other-token')!.exchange!;
    expect(x.request).toMatchObject({ method: 'POST', url: lax.url, bodyTruncated: false });
    expect(x.request.headers.filter(([k]) => k === 'x-soveren-signature')).toHaveLength(1);
    expect(x.response!.headers).toContainEqual(['x-connector', 'lax']);
    // The first 4 KiB of the answer, no more.
    expect(x.response!.body).toBe(LONG_ANSWER.slice(0, 4096));
    expect(x.error).toBeNull();

    // The curl command sends exactly the request the scenario judged, to the connector only.
    const before = lax.received.length;
    const curl = await runShell(x.curl!, t.dir, {});
    expect(curl.code, curl.stderr).toBe(0);
    const again = lax.received[before]!;
    expect(again.body.toString('utf8')).toBe(x.request.body);
    expect(header(again, 'x-soveren-signature')).toEqual(x.request.headers.filter(([k]) => k === 'x-soveren-signature').map(([, v]) => v));
    expect(again.url).toBe(new URL(lax.url).pathname);
    const passedOnes = stored.results.filter((r) => r.outcome === 'pass');
    expect(passedOnes.every((r) => r.exchange === undefined || r.exchange === null)).toBe(true);
  });

  it('downloads a stored run as the CLI writes it: JUnit XML and the JSON report', async () => {
    const { items } = await api<CheckRunPage>('/api/checks');
    const id = items[0]!.id;
    const junit = await fetch(new URL(`/api/checks/${id}/report?format=junit`, t.uiUrl));
    expect(junit.status).toBe(200);
    expect(junit.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(junit.headers.get('content-disposition')).toBe(`attachment; filename="check-${id}.xml"`);
    const suite = findAll(parseXml(await junit.text()), 'testsuite')[0]!;
    expect(suite.attrs).toMatchObject({ tests: String(items[0]!.counts.total), failures: '6' });
    const json = await fetch(new URL(`/api/checks/${id}/report`, t.uiUrl));
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="check-${id}.json"`);
    const report = (await json.json()) as CheckReport;
    expect(report).toMatchObject({ format: 'soveren-inspector.check/1', ok: false, url: lax.url, counts: { failed: 6 } });
    expect(report.scenarios.find((r) => r.id === 'signature-missing')?.exchange?.request.headers.some(([k]) => k === 'x-soveren-signature')).toBe(false);

    expect((await fetch(new URL('/api/checks/999999/report', t.uiUrl))).status).toBe(404);
    const bad = await fetch(new URL(`/api/checks/${id}/report?format=pdf`, t.uiUrl));
    expect(bad.status).toBe(400);
  });
});
