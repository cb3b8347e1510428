// `import`: an NDJSON export (a file, a directory of them, or - for standard input) back
// into a database as new deliveries with the same bytes, headers, verdicts, arrival times
// and attempts. Deliveries already in the database are skipped (counted) unless
// --allow-duplicates; bad lines are reported by file and line and skipped, exit 1 when any was.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { sanitizeForTerminal } from '../log.ts';
import { openDatabaseForCli } from './cli-database.ts';
import { parseExportLine } from '../export/import-ndjson.ts';
import { readLines } from '../export/line-reader.ts';
import { createProgress } from './progress.ts';
import { createDeliveryStore } from '../store/deliveries.ts';
import { createDeliveryImport, type ImportItem } from '../store/delivery-import.ts';

export const IMPORT_OPTIONS: readonly OptionSpec[] = [
  { flag: 'db', kind: 'string', default: './soveren-inspector.db', help: 'SQLite database to import into (created when missing; `serve` may be running on it)' },
  { flag: 'allow-duplicates', kind: 'boolean', default: false, help: 'Import deliveries the database already holds (same arrival time, body, method, path, query and headers) as copies, instead of skipping them' },
  { flag: 'quiet', kind: 'boolean', default: false, short: 'q', help: 'Report only the total' },
];

export const IMPORT_HELP = formatHelp(
  'soveren-inspector import --db FILE FILE|DIRECTORY|- ...',
  'Import NDJSON exports (`export --format ndjson`) as new deliveries: same bytes, headers, verdicts\n(made at receipt, shown as such), arrival times and attempts, new ids. A delivery the database\nalready holds (same arrival time, body, method, path, query and headers) is skipped and counted,\nso importing a file twice adds nothing; --allow-duplicates imports it again. A directory imports\nevery *.ndjson file in it, in name order.',
  IMPORT_OPTIONS,
);

const MAX_LINE_BYTES = 64 * 1024 * 1024;
const BATCH = 200;

function expandSources(args: readonly string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push(arg);
      continue;
    }
    let stat;
    try {
      stat = statSync(arg);
    } catch {
      throw new UsageError(`${arg}: no such file or directory`);
    }
    if (stat.isDirectory()) files.push(...readdirSync(arg).filter((f) => f.endsWith('.ndjson')).sort().map((f) => join(arg, f)));
    else files.push(arg);
  }
  return files;
}

export async function runImport(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseOptions(IMPORT_OPTIONS, argv);
  if (positionals.length === 0) throw new UsageError('import needs the file to read: import --db FILE export.ndjson');
  const files = expandSources(positionals);
  const quiet = v.quiet as boolean;
  const allowDuplicates = v['allow-duplicates'] as boolean;
  const db = openDatabaseForCli(v.db as string);
  let imported = 0;
  let skipped = 0;
  let duplicates = 0;
  let attemptCount = 0;
  let firstId: number | null = null;
  let lastId: number | null = null;
  try {
    const deliveries = createDeliveryStore(db, { maxDeliveries: Number.MAX_SAFE_INTEGER });
    const importer = createDeliveryImport(db, deliveries);
    let batch: ImportItem[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const { stored, attempts } = importer.store(batch);
      firstId ??= stored[0]!.id;
      lastId = stored[stored.length - 1]!.id;
      imported += stored.length;
      attemptCount += attempts;
      batch = [];
    };
    for (const file of files) {
      const size = file === '-' ? 0 : statSync(file).size;
      const progress = createProgress({ total: size, label: 'import', threshold: 8 * 1024 * 1024 });
      for await (const line of readLines(file === '-' ? process.stdin : createReadStream(file), MAX_LINE_BYTES)) {
        progress.set(line.bytesRead);
        if ('tooLong' in line) {
          skipped++;
          if (!quiet) process.stderr.write(sanitizeForTerminal(`${file}:${line.number}: line longer than ${MAX_LINE_BYTES} bytes, skipped`) + '\n');
          continue;
        }
        if (line.text.trim() === '') continue;
        const parsed = parseExportLine(line.text);
        if (!parsed.ok) {
          skipped++;
          if (!quiet) process.stderr.write(sanitizeForTerminal(`${file}:${line.number}: ${parsed.error}, skipped`, 400) + '\n');
          continue;
        }
        if (!allowDuplicates && importer.findExisting(parsed.record) !== null) {
          duplicates++;
          continue;
        }
        batch.push({ record: parsed.record, attempts: parsed.attempts });
        if (batch.length >= BATCH) flush();
      }
      flush();
      progress.done();
    }
    // The imported rows join the histogram's buckets now, not when a server next idles.
    deliveries.rollUp();
  } finally {
    db.close();
  }
  const ids = firstId === null ? '' : ` (ids ${firstId}-${lastId})`;
  const withAttempts = attemptCount > 0 ? ` with ${attemptCount} attempt${attemptCount === 1 ? '' : 's'}` : '';
  const dup = duplicates > 0 ? `; ${duplicates} already in the database, skipped (--allow-duplicates imports them again)` : '';
  process.stdout.write(`imported ${imported} deliver${imported === 1 ? 'y' : 'ies'}${withAttempts} into ${v.db as string}${ids}${dup}${skipped ? `; ${skipped} line(s) skipped` : ''}\n`);
  return skipped > 0 ? 1 : 0;
}
