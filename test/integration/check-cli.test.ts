// `soveren-inspector check` as a user runs it (node bin/soveren-inspector.js): exit codes,
// the scorecard, --json on stdout, a well-formed --junit file, usage errors naming the flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport } from '../../server/common/protocol.ts';
import { findAll, parseXml } from '../helpers/check-xml.ts';
import { runCli } from '../helpers/cli.ts';
import { startConnector, type Connector } from './check-connectors.ts';

const TOKEN = 'whsec-Cli-Check-31d7';
let strict: Connector;
let lax: Connector;
let dir: string;

beforeAll(async () => {
  strict = await startConnector('strict', TOKEN);
  lax = await startConnector('accepts-bad-signatures', TOKEN);
  dir = mkdtempSync(join(tmpdir(), 'soveren-check-cli-'));
});
afterAll(async () => {
  await Promise.all([strict.close(), lax.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('check command', () => {
  it('exits 0 for the strict connector, with JSON on stdout, the scorecard on stderr and a well-formed JUnit file', async () => {
    const junit = join(dir, 'strict.xml');
    const run = await runCli(['check', strict.url, '--token', TOKEN, '--burst', '20', '--timeout', '3s', '--json', '--junit', junit]);
    expect(run.stderr).toContain('PASSED');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report).toMatchObject({ format: 'soveren-inspector.check/1', ok: true, url: strict.url });
    expect(report.scenarios.length).toBeGreaterThanOrEqual(4 + 29 + 6 + 2 + 4 + 3);
    expect(new Set(report.scenarios.map((s) => s.id)).size).toBe(report.scenarios.length);
    expect(report.counts.failed).toBe(0);
    expect(run.stderr).toMatch(/^pass\s+event_type discovery_complete: valid signed event is accepted\s+2xx\s+200\s+\d+ ms$/m);

    const xml = readFileSync(junit, 'utf8');
    const suite = findAll(parseXml(xml), 'testsuite')[0]!;
    expect(findAll(suite, 'testcase').map((t) => t.attrs.name)).toEqual(report.scenarios.map((s) => s.name));
    expect(findAll(suite, 'failure')).toHaveLength(0);
    for (const text of [run.stdout, run.stderr, xml]) expect(text).not.toContain(TOKEN);
  });

  it('exits 1 for a connector that accepts bad signatures, naming each failing scenario and why', async () => {
    const junit = join(dir, 'lax.xml');
    const run = await runCli(['check', lax.url, '--token', TOKEN, '--burst', '20', '--timeout', '3s', '--junit', junit]);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const i = lines.findIndex((l) => /^FAIL\s+signature made with another token is refused\s+401 or 403\s+200/.test(l));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toContain('-> accepted a delivery whose signature was made with another token: the connector does not');
    expect(run.stdout).toContain('FAILED: 6 required scenarios failed');
    const failures = findAll(parseXml(readFileSync(junit, 'utf8')), 'failure');
    expect(failures).toHaveLength(6);
    expect(failures.every((f) => f.attrs.type === 'signature' && f.attrs.message!.startsWith('accepted '))).toBe(true);
    // Each failure carries the request that was accepted and the connector's answer, never the token.
    for (const f of failures) {
      expect(f.text).toMatch(new RegExp(`request: POST ${lax.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
      expect(f.text).toMatch(/\nanswer: 2\d\d\n/);
      expect(f.text).toMatch(/send it again:\nprintf '[^]*' \| curl -sS /);
      expect(f.text).not.toContain(TOKEN);
    }
  });

  it('takes the token from SOVEREN_WEBHOOK_TOKEN and runs only the --only scenarios', async () => {
    const run = await runCli(['check', strict.url, '--only', 'signature', '--json'], { env: { SOVEREN_WEBHOOK_TOKEN: `${TOKEN},older-token` }, timeoutMs: 25_000 });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.scenarios.map((s) => s.group)).toEqual(Array(7).fill('signature'));
  });

  it('exits 2 on bad usage, naming the flag, before sending anything', async () => {
    const before = strict.received;
    const runs = await Promise.all([
      runCli(['check', strict.url]),
      runCli(['check', strict.url, '--token', TOKEN, '--expect-reject', '2xx']),
      runCli(['check', strict.url, '--token', TOKEN, '--junit', join(dir, 'missing', 'report.xml')]),
      runCli(['check', 'ftp://127.0.0.1/', '--token', TOKEN, '--burst', '0']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('--token is required');
    expect(runs[1]!.stderr).toContain('--expect-reject takes HTTP statuses');
    expect(runs[2]!.stderr).toMatch(/--junit .*does not exist/);
    expect(runs[3]!.stderr).toContain('--burst must be between 1 and 1000');
    expect(strict.received).toBe(before);
  });
});
