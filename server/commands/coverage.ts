// `coverage`: which event types were seen from a real sender, sent by the built-in sender,
// replayed or forwarded (ok / failed per target) and covered by the last check; with
// `--require all --target URL` a CI gate that fails (exit 1) while a documented type has no
// successful delivery to that target.
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { buildCoverage, missingSuccess } from '../coverage/build.ts';
import { formatCoverage } from '../coverage/table.ts';
import { sanitizeForTerminal } from '../log.ts';
import { openExistingDatabase } from './cli-database.ts';
import { redactUrl } from '../sender/target-url.ts';
import { createCoverageReads } from '../store/coverage.ts';

export const COVERAGE_OPTIONS: readonly OptionSpec[] = [
  { flag: 'db', kind: 'string', default: './soveren-inspector.db', help: 'SQLite database of a `serve` (it may be running)' },
  { flag: 'json', kind: 'boolean', default: false, help: 'Print the table as JSON (the shape of GET /api/coverage, each cell with its search)' },
  { flag: 'require', kind: 'string', choices: ['all'], help: 'all: exit 1 unless every documented event type had a successful replay or forward to --target' },
  { flag: 'target', kind: 'string', help: 'The target URL --require checks (as given to replay or --forward-to)' },
];

export const COVERAGE_HELP = formatHelp(
  'soveren-inspector coverage --db FILE [--json] [--require all --target URL]',
  'Coverage of the 29 documented event types (and unknown ones seen), by category: received, from a\nreal sender, sent by the built-in sender, replayed/forwarded per target (ok/failed attempts), and\nthe last check run. With --require all --target URL: exit 1 when a type never reached URL.',
  COVERAGE_OPTIONS,
);

/** Targets compare as URLs (`http://h:1` = `http://h:1/`), credentials removed. */
function sameTarget(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      return new URL(redactUrl(u)).href;
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

export async function runCoverage(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values: v, positionals } = parseOptions(COVERAGE_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`coverage takes no arguments, got "${positionals[0]}"`);
  const require = v.require as string | undefined;
  const target = v.target as string | undefined;
  if (require !== undefined && target === undefined) throw new UsageError('--require all needs --target URL (the target every event type must have reached)');
  if (target !== undefined && require === undefined) throw new UsageError('--target is only used with --require all');
  const db = openExistingDatabase(v.db as string);
  let coverage;
  try {
    coverage = buildCoverage(createCoverageReads(db).read());
  } finally {
    db.close();
  }
  out.write(v.json ? JSON.stringify(coverage, null, 2) + '\n' : formatCoverage(coverage));
  if (target === undefined) return 0;
  const stored = coverage.targets.find((t) => sameTarget(t, target)) ?? redactUrl(target);
  const missing = missingSuccess(coverage, stored);
  const shown = sanitizeForTerminal(redactUrl(target), 300);
  if (missing.length === 0) {
    process.stderr.write(`every documented event type had a successful delivery to ${shown}\n`);
    return 0;
  }
  process.stderr.write(`${missing.length} of 29 documented event types never had a successful delivery to ${shown}: ${missing.join(', ')}\n`);
  return 1;
}
