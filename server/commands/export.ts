// `export`: captured deliveries (all, or those matching --query) as NDJSON with exact bytes
// and verdicts (what `import` reads back), HAR 1.2, or a curl script; oldest first.
import { createWriteStream } from 'node:fs';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { VERSION } from '../version.ts';
import { parseQueryOption } from './cli-support.ts';
import { openExistingDatabase } from './cli-database.ts';
import { createCurlWriter, createHarWriter, createNdjsonWriter, DEFAULT_EXPORT_TARGET, EXPORT_FORMATS, type ExportFormat, type ExportWriter } from '../export/export-formats.ts';
import { createProgress } from './progress.ts';
import { describeBadTarget } from '../sender/target-url.ts';
import { createDeliveryStore } from '../store/deliveries.ts';

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { flag: 'db', kind: 'string', default: './soveren-inspector.db', help: 'SQLite database of a `serve` (it may be running)' },
  { flag: 'format', kind: 'string', default: 'ndjson', choices: EXPORT_FORMATS, help: 'ndjson (exact bytes and verdicts; `import` reads it), har (HAR 1.2) or curl (a shell script)' },
  { flag: 'query', kind: 'string', help: 'Only deliveries matching this search (UI syntax, e.g. "replay:failed after:2026-12-01")' },
  { flag: 'out', kind: 'string', help: 'Write to this file instead of standard output' },
  { flag: 'target', kind: 'string', default: DEFAULT_EXPORT_TARGET, help: 'Base URL of har request URLs and the curl script\'s default $TARGET; captured paths are appended to it' },
];

export const EXPORT_HELP = formatHelp(
  'soveren-inspector export --db FILE --format ndjson|har|curl [--query Q] [--out FILE] [--target URL]',
  'Export captured deliveries, oldest first. NDJSON keeps the exact bytes (base64, plus the text),\nheaders, verdicts and arrival times; `import` turns it back into deliveries.',
  EXPORT_OPTIONS,
);

export async function runExport(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseOptions(EXPORT_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`export takes no arguments, got "${positionals[0]}" (use --out FILE)`);
  const format = v.format as ExportFormat;
  const query = (v.query as string | undefined) ?? '';
  const outFile = v.out as string | undefined;
  const target = v.target as string;
  const bad = describeBadTarget(target);
  if (bad !== null) throw new UsageError(`--target: ${bad}`);
  const db = openExistingDatabase(v.db as string);
  try {
    const deliveries = createDeliveryStore(db, { maxDeliveries: Number.MAX_SAFE_INTEGER });
    const parsed = parseQueryOption(query);
    const total = deliveries.facets(parsed).total;
    const writer: ExportWriter = format === 'har' ? createHarWriter(VERSION, target)
      : format === 'curl' ? createCurlWriter(`${total} deliveries${query ? ` matching ${query}` : ''}`, target) : createNdjsonWriter();
    const out = outFile === undefined ? process.stdout : createWriteStream(outFile);
    let broken: Error | null = null;
    out.on('error', (err: Error) => { broken = err; }); // a closed pipe (| head) ends the export quietly
    const write = async (text: string) => {
      if (text !== '' && !broken && !out.write(text)) await settle(out, 'drain');
    };
    const progress = createProgress({ total, label: 'export', threshold: 1000 });
    let count = 0;
    await write(writer.begin());
    for (let cursor = 0; !broken;) {
      const page = deliveries.listAfter(parsed, cursor, 200);
      if (page.length === 0) break;
      for (const summary of page) {
        const d = deliveries.get(summary.id);
        if (d) {
          await write(writer.entry(d));
          count++;
        }
        progress.tick();
      }
      cursor = page[page.length - 1]!.id;
    }
    await write(writer.end());
    progress.done();
    if (outFile !== undefined && !broken) {
      out.end();
      await settle(out, 'finish');
    }
    const failure = broken as Error | null;
    if (failure !== null && outFile !== undefined) throw new UsageError(`--out ${outFile}: ${failure.message}`);
    process.stderr.write(`exported ${count} deliveries as ${format}${outFile !== undefined ? ` to ${outFile}` : ''}\n`);
    return 0;
  } finally {
    db.close();
  }
}

/** Resolves on `event` or on an error, whichever comes first, leaving no listener behind. */
function settle(stream: NodeJS.WritableStream, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off(event, done);
      stream.off('error', done);
      resolve();
    };
    stream.once(event, done);
    stream.once('error', done);
  });
}
