// `send --tamper` means what `check` means: against the same connectors, a variant is a
// mismatch exactly when the check's matching scenario fails (a signature problem must get
// 401/403, malformed JSON a 4xx, a wrong User-Agent is only noted). --tamper repeats, `all`
// sends every variant, the summary gives each variant's expected and actual answer, and the
// exit code says whether any variant mismatched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { startConnector, type Connector } from './check-connectors.ts';

const TOKEN = 'tamper-token-7';
let strict: Connector;
let lax: Connector;
let crashes: Connector;

beforeAll(async () => {
  [strict, lax, crashes] = await Promise.all([
    startConnector('strict', TOKEN), startConnector('accepts-bad-signatures', TOKEN), startConnector('crashes-on-bad-json', TOKEN),
  ]);
});
afterAll(async () => {
  await Promise.all([strict.close(), lax.close(), crashes.close()]);
});

/** The summary line of one variant: `  body  expected 401 or 403  got 401×1  ok`. */
function variantLine(stdout: string, variant: string): string {
  const line = stdout.split('\n').find((l) => new RegExp(`^  ${variant} +expected`).test(l));
  if (!line) throw new Error(`no summary line for ${variant} in:\n${stdout}`);
  return line.replace(/\s+/g, ' ').trim();
}

const send = (url: string, tamper: string[]) =>
  runCli(['send', '--to', url, '--token', TOKEN, '--type', 'anomaly_detected', '--seed', '3', '-q', ...tamper.flatMap((t) => ['--tamper', t])]);

describe('send --tamper, judged like check', () => {
  it('--tamper all against a strict connector: every variant as expected, user agent noted, exit 0', async () => {
    const before = strict.received;
    const r = await send(strict.url, ['all']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(strict.received - before).toBe(5);
    expect(variantLine(r.stdout, 'body')).toBe('body expected 401 or 403 got 401×1 ok');
    expect(variantLine(r.stdout, 'signature')).toBe('signature expected 401 or 403 got 401×1 ok');
    expect(variantLine(r.stdout, 'missing-signature')).toBe('missing-signature expected 401 or 403 got 401×1 ok');
    expect(variantLine(r.stdout, 'user-agent')).toBe('user-agent expected noted got 200×1 noted (informational)');
    expect(variantLine(r.stdout, 'malformed-json')).toBe('malformed-json expected 4xx got 400×1 ok');
    expect(r.stdout).not.toContain('FAILED');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('agrees with check on each connector: a variant mismatches exactly when its check scenario fails', async () => {
    const cases: [Connector, string, string][] = [
      [lax, 'signature', 'signature-other-token'],
      [lax, 'body', 'signature-other-body'],
      [lax, 'missing-signature', 'signature-missing'],
      [crashes, 'malformed-json', 'json-malformed'],
      [strict, 'malformed-json', 'json-malformed'],
      [lax, 'user-agent', 'user-agent-wrong'],
    ];
    for (const [connector, variant, scenario] of cases) {
      const [sent, checked] = await Promise.all([
        send(connector.url, [variant]),
        runCli(['check', connector.url, '--token', TOKEN, '--only', scenario, '--json']),
      ]);
      const result = (JSON.parse(checked.stdout) as { scenarios: { id: string; outcome: string }[] }).scenarios.find((s) => s.id === scenario)!;
      const line = variantLine(sent.stdout, variant);
      if (result.outcome === 'fail') {
        expect(sent.code, `${variant} vs ${scenario}`).toBe(1);
        expect(line, `${variant} vs ${scenario}`).toContain('MISMATCH (1 of 1)');
      } else {
        expect(sent.code, `${variant} vs ${scenario}: ${sent.stdout}`).toBe(0);
        expect(line).not.toContain('MISMATCH');
        expect(line.endsWith(result.outcome === 'info' ? 'noted (informational)' : 'ok'), line).toBe(true);
      }
    }
  });

  it('repeats --tamper: only the variants given, one summary line each; a mismatch says why', async () => {
    const before = crashes.received;
    const r = await send(crashes.url, ['user-agent', 'malformed-json']);
    expect(r.code).toBe(1);
    expect(crashes.received - before).toBe(2);
    expect(r.stdout.split('\n').filter((l) => /^  \S+ +expected /.test(l))).toHaveLength(2);
    expect(variantLine(r.stdout, 'malformed-json')).toBe('malformed-json expected 4xx got 500×1 MISMATCH (1 of 1)');
    expect(r.stdout).toMatch(/answered 500 to a validly signed body that is not JSON/);
    expect(r.stdout).toMatch(/FAILED: malformed-json did not get the expected answer/);
  });

  it('exits 2 naming the flag for a bad variant, and for signature variants without a token', async () => {
    const [bad, noToken] = await Promise.all([
      runCli(['send', '--to', strict.url, '--type', 'anomaly_detected', '--tamper', 'nope']),
      runCli(['send', '--to', strict.url, '--type', 'anomaly_detected', '--tamper', 'all']),
    ]);
    expect([bad.code, noToken.code]).toEqual([2, 2]);
    expect(bad.stderr).toMatch(/--tamper must be one of body, signature, missing-signature, user-agent, malformed-json, all/);
    expect(noToken.stderr).toMatch(/--tamper body, signature, missing-signature needs --token/);
  });
});
