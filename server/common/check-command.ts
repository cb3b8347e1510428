// The `soveren-inspector check` command line equivalent to a run's settings, as the Check
// dialog shows it for CI. Secrets never appear: the token is read from the variable the CLI
// reads anyway ($SOVEREN_WEBHOOK_TOKEN), the sink token from one the user sets. Pure (the UI
// imports it); the defaults mirror check/scenarios.ts DEFAULT_CHECK_SETTINGS.
import type { CheckSettings } from './protocol.ts';

const DEFAULTS = { timeoutMs: 10_000, burst: 200, expectReject: '401,403', largeSize: 512 * 1024, sinkWaitMs: 10_000 };

/** POSIX single-quoting: the word stands for exactly this text, nothing in it expands. */
function quote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function duration(ms: number): string {
  return ms % 60_000 === 0 && ms > 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function size(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)}m` : bytes % 1024 === 0 ? `${bytes / 1024}k` : String(bytes);
}

export interface CheckCommandOptions {
  /** The inspector's sinks want a token: the command passes one from $SINK_TOKEN. */
  sinkTokenRequired?: boolean;
}

/** One shell command (flags that differ from the defaults only) that runs the same check from a terminal. */
export function formatCheckCommand(url: string, settings: CheckSettings, options: CheckCommandOptions = {}): string {
  const words = ['npx', 'soveren-inspector', 'check', quote(url), '--token', '"$SOVEREN_WEBHOOK_TOKEN"'];
  if (settings.timeoutMs !== DEFAULTS.timeoutMs) words.push('--timeout', duration(settings.timeoutMs));
  if (settings.burst !== DEFAULTS.burst) words.push('--burst', String(settings.burst));
  const reject = settings.expectReject.join(',');
  if (reject !== DEFAULTS.expectReject) words.push('--expect-reject', quote(reject));
  if (settings.largeSize !== DEFAULTS.largeSize) words.push('--large-size', size(settings.largeSize));
  if (settings.only) words.push('--only', quote(settings.only));
  if (settings.through) {
    words.push('--through', settings.through);
    if (settings.sinkWaitMs !== undefined && settings.sinkWaitMs !== DEFAULTS.sinkWaitMs) words.push('--sink-wait', duration(settings.sinkWaitMs));
    if (options.sinkTokenRequired) words.push('--sink-token', '"$SINK_TOKEN"');
  }
  words.push('--junit', 'check.xml');
  return words.join(' ');
}
