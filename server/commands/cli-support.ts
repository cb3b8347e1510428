// Pieces the sender's commands share: numbers and flags checked into UsageErrors that name
// the flag, and Ctrl-C as "stop, then print the summary" (a second Ctrl-C quits at once).
// No database here (cli-database.ts): `send` and `check` load no SQLite.
import { setMaxListeners } from 'node:events';
import { UsageError } from '../config.ts';
import { describeBadTarget } from '../sender/target-url.ts';
import { parseQuery, type ParsedQuery } from '../common/query.ts';
import { queryProblem } from '../common/query-values.ts';

/** `--rate`: requests per second, a positive number (0.5 allowed); undefined: unlimited. */
export function parseRate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 100_000) throw new UsageError(`--rate takes requests per second between 0.001 and 100000, got "${value}"`);
  return n;
}

/** Whether `--flag` (or `--flag=...`) was typed, as opposed to coming from the environment. */
export function givenOnCommandLine(argv: readonly string[], flag: string): boolean {
  return argv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
}

export function checkTarget(flag: string, url: string | undefined): string {
  if (url === undefined || url === '') throw new UsageError(`--${flag} URL is required (where to send)`);
  const problem = describeBadTarget(url);
  if (problem) throw new UsageError(`--${flag}: ${problem}`);
  return url;
}

/** First token of a list (SOVEREN_WEBHOOK_TOKEN may hold several during rotation); empty ones refused. */
export function firstToken(tokens: readonly string[]): string | null {
  if (tokens.some((t) => t.length === 0)) throw new UsageError('--token must not be empty');
  return tokens[0] ?? null;
}

/** First Ctrl-C aborts the signal (running requests end, the summary prints); a second exits 130. */
export function stopOnInterrupt(what: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  // One signal is shared by every request of a run (a burst passes hundreds).
  setMaxListeners(0, controller.signal);
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\ninterrupted: stopping ${what} (Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/** A --query value as parsed terms; a field value that means nothing is a usage error naming the flag. */
export function parseQueryOption(query: string): ParsedQuery {
  const parsed = parseQuery(query);
  const problem = queryProblem(parsed);
  if (problem) throw new UsageError(`--query: ${problem}`);
  return parsed;
}
