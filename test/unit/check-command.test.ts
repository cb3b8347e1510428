// The CLI command the Check dialog shows: parsed by the real `check` flag parser it gives back
// the run's settings (so it is the same check), and it never holds a token.
import { describe, expect, it } from 'vitest';
import type { CheckSettings } from '../../server/common/protocol.ts';
import { formatCheckCommand } from '../../server/common/check-command.ts';
import { checkConfig } from '../../server/commands/check.ts';
import { DEFAULT_CHECK_SETTINGS } from '../../server/check/scenarios.ts';

/** POSIX words of a command made of plain words, single-quoted words and "$VAR", with $VAR expanded from env. */
function shellWords(command: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|"\$([A-Z_]+)"|(\S+)/g;
  let m: RegExpExecArray | null;
  let current = '';
  let last = 0;
  while ((m = re.exec(command))) {
    if (m.index > last && command.slice(last, m.index).trim() === '' && current !== '') {
      words.push(current);
      current = '';
    }
    current += m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2] !== undefined ? env[m[2]] ?? '' : m[3]!;
    last = re.lastIndex;
  }
  if (current !== '') words.push(current);
  return words;
}

const SECRET = 'whsec-never-shown-3b1';
const env = { SOVEREN_WEBHOOK_TOKEN: SECRET, SINK_TOKEN: 'sink-secret' };

function roundTrip(url: string, settings: CheckSettings, sinkTokenRequired = false) {
  const command = formatCheckCommand(url, settings, { sinkTokenRequired });
  expect(command).not.toContain(SECRET);
  const words = shellWords(command, env);
  expect(words.slice(0, 3)).toEqual(['npx', 'soveren-inspector', 'check']);
  const config = checkConfig(words.slice(3), {});
  if (config.list) throw new Error('unexpected --list');
  return { command, config };
}

describe('formatCheckCommand', () => {
  it('names only what differs from the defaults, and reads the token from $SOVEREN_WEBHOOK_TOKEN', () => {
    const { command, config } = roundTrip('http://127.0.0.1:8080/soveren', { ...DEFAULT_CHECK_SETTINGS, expectReject: [401, 403] });
    expect(command).toBe('npx soveren-inspector check http://127.0.0.1:8080/soveren --token "$SOVEREN_WEBHOOK_TOKEN" --junit check.xml');
    expect(config.settings).toEqual({ ...DEFAULT_CHECK_SETTINGS, expectReject: [401, 403] });
    expect(config.token).toBe(SECRET);
  });

  it('gives back every setting a run can have, through the real flag parser', () => {
    const settings: CheckSettings = { timeoutMs: 2500, burst: 20, expectReject: [400, 401], largeSize: 64 * 1024, only: "signature, it's json", through: 'hec', sinkWaitMs: 8000 };
    const { command, config } = roundTrip("http://c.example:9/hook?x=1&y='2'", settings, true);
    expect(config.settings).toEqual(settings);
    expect(config.url).toBe("http://c.example:9/hook?x=1&y='2'");
    expect(config.sinks).toMatchObject({ kind: 'hec', token: 'sink-secret', waitMs: 8000 });
    expect(command).toContain('--sink-token "$SINK_TOKEN"');
    for (const ms of [60_000, 750, 120_000]) expect(roundTrip('http://h/', { ...DEFAULT_CHECK_SETTINGS, timeoutMs: ms }).config.settings.timeoutMs).toBe(ms);
    for (const bytes of [4096, 1024 * 1024, 5000]) expect(roundTrip('http://h/', { ...DEFAULT_CHECK_SETTINGS, largeSize: bytes }).config.settings.largeSize).toBe(bytes);
  });

  it('quotes a URL so the shell expands nothing in it', () => {
    const url = 'http://h/$(touch pwned)`id`;x';
    const command = formatCheckCommand(url, DEFAULT_CHECK_SETTINGS);
    expect(command).toContain(`'${url}'`);
    expect(shellWords(command, env)[3]).toBe(url);
  });
});
