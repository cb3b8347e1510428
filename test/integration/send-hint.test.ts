// `send` without --token against a receiver that checks signatures: every answer is 401,
// and the summary says why and what to do; with a (wrong) token it does not claim that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { runCli } from './sender-cli.ts';

let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector({ tokens: ['receiver-token'] });
});
afterAll(async () => {
  await t.close();
});

describe('send CLI hints', () => {
  it('tells the user to give --token when every answer was 401 and nothing was signed', async () => {
    const r = await runCli(['send', '--to', t.receiverUrl, '--type', 'new_data_type', '--count', '3', '-q']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/statuses 401×3/);
    expect(r.stdout).toContain('hint: every request was answered 401 and none was signed');
    expect(r.stdout).toContain('--token');
    const signed = await runCli(['send', '--to', t.receiverUrl, '--type', 'new_data_type', '--token', 'wrong-token', '-q']);
    expect(signed.code).toBe(1);
    expect(signed.stdout).toMatch(/statuses 401×1/);
    expect(signed.stdout).not.toContain('hint:');
  });
});
