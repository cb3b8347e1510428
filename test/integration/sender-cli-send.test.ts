// `send` as a user runs it: exit 0 when every answer is 2xx, 1 when a target fails or a
// tampered delivery is accepted, 2 for bad flags (the message names the flag).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from '../helpers/cli.ts';
import { runSend } from '../../server/commands/send.ts';
import { UsageError } from '../../server/config.ts';
import { header, octokitValid, startTarget, type Target } from './sender-target.ts';

const TOKEN = 'cli-token-42';
let ok: Target;
let failing: Target;
let t: TestInspector;

beforeAll(async () => {
  [ok, failing, t] = await Promise.all([startTarget(), startTarget(() => ({ status: 500 })), startTestInspector({ tokens: [TOKEN] })]);
});
afterAll(async () => {
  await Promise.all([ok.close(), failing.close(), t.close()]);
});

describe('send CLI', () => {
  it('sends all 29 types signed and exits 0', async () => {
    const r = await runCli(['send', '--to', ok.url, '--all', '--concurrency', '4', '--seed', '5', '-q'], { env: { SOVEREN_WEBHOOK_TOKEN: `${TOKEN},older-token` } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sent 29 to .* \(signed, seed 5\): 29 ok, 0 failed; statuses 200×29; latency p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(ok.received).toHaveLength(29);
    for (const c of ok.received) {
      expect(header(c, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
      expect(await octokitValid(TOKEN, c)).toBe(true);
    }
  });

  it('prints a line per request and exits 1 when the target answers 500', async () => {
    const r = await runCli(['send', '--to', failing.url, '--type', 'new_data_type', '--count', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[1\/2\] 500 .* new_data_type/);
    expect(r.stdout).toMatch(/FAILED: 2 request\(s\) got no 2xx answer/);
  });

  it('exits 0 when every tampered delivery is refused, 1 when one is accepted; a wrong user agent is only noted', async () => {
    const refused = await runCli(['send', '--to', t.receiverUrl, '--token', TOKEN, '--category', 'misconfiguration', '--tamper', 'signature', '-q']);
    expect(refused.code).toBe(0);
    expect(refused.stdout).toMatch(/signature +expected 401 or 403 +got 401×4 +ok/);
    const accepted = await runCli(['send', '--to', ok.url, '--token', TOKEN, '--type', 'new_data_type', '--tamper', 'body']);
    expect(accepted.code).toBe(1);
    expect(accepted.stdout).toMatch(/body +expected 401 or 403 +got 200×1 +MISMATCH \(1 of 1\)/);
    const noted = await runCli(['send', '--to', ok.url, '--token', TOKEN, '--type', 'future_type_v2', '--tamper', 'user-agent']);
    expect(noted.code).toBe(0);
    expect(noted.stdout).toMatch(/\[1\/1\] 200 .* user-agent future_type_v2 +noted/);
    expect(noted.stderr).toMatch(/warning: --type future_type_v2 is not a documented Soveren event type/);
  });

  it('exits 2 naming the flag for bad usage', async () => {
    const [none, count] = await Promise.all([runCli(['send']), runCli(['send', '--all', '--count', '0'])]);
    expect([none.code, count.code]).toEqual([2, 2]);
    expect(none.stderr).toMatch(/--all, --type/);
    expect(count.stderr).toMatch(/--count must be/);
  });

  it('refuses every other bad combination with a UsageError naming the flag (in process)', async () => {
    const cases: [string[], RegExp][] = [
      [['--all', '--tamper', 'nope'], /--tamper must be one of/],
      [['--all', '--type', 'new_data_type'], /--all cannot be combined/],
      [['--category', 'Nope'], /--category: unknown category/],
      [['--all', '--tamper', 'body'], /--tamper body needs --token/],
      [['--all', '--to', 'ftp://example'], /--to: unsupported scheme/],
      [['--all', '--rate', 'fast'], /--rate takes/],
      [['--all', '--count', '100000'], /--count: 29 types × 100000/],
      [['--all', 'http://x/'], /send takes no arguments/],
    ];
    for (const [args, message] of cases) {
      const error = await runSend(args).then(() => null, (e: unknown) => e);
      expect(error, args.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
