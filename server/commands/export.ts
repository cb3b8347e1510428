// `export`: captured deliveries (all, or those matching --query) as NDJSON with exact bytes
// and verdicts (what `import` reads back), HAR 1.2, a curl script, or mapped for a SIEM (OCSF,
// ECS or HEC as NDJSON, CEF one line each); oldest first.
import { createWriteStream } from 'node:fs';
import { sanitizeForTerminal } from '../log.ts';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { VERSION } from '../version.ts';
import { parseQueryOption } from './cli-support.ts';
import { openExistingDatabase } from './cli-database.ts';
import { createCurlWriter, createHarWriter, createNdjsonWriter, DEFAULT_EXPORT_TARGET, EXPORT_FORMATS, type ExportFormat, type ExportWriter } from '../export/export-formats.ts';
import { createProgress } from './progress.ts';
import { describeBadTarget } from '../sender/target-url.ts';
import { createDeliveryStore } from '../store/deliveries.ts';
import { createAttemptTransfer } from '../store/attempt-transfer.ts';
import { SIEM_FORMATS, type HecOptions, type SiemFormat } from '../siem/index.ts';
import { createSiemExport } from '../export/siem-export.ts';

const FORMATS = [...EXPORT_FORMATS, ...SIEM_FORMATS] as const;
const HEC_PAYLOADS = ['soveren', 'ocsf', 'ecs'] as const;

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { flag: 'db', kind: 'string', default: './soveren-inspector.db', help: 'SQLite database of a `serve` (it may be running)' },
  { flag: 'format', kind: 'string', default: 'ndjson', choices: FORMATS, help: 'ndjson (exact bytes and verdicts; `import` reads it), har (HAR 1.2), curl (a shell script), or for a SIEM: ocsf, ecs, hec (NDJSON) or cef (one line each)' },
  { flag: 'query', kind: 'string', help: 'Only deliveries matching this search (UI syntax, e.g. "replay:failed after:2026-12-01")' },
  { flag: 'out', kind: 'string', help: 'Write to this file instead of standard output' },
  { flag: 'target', kind: 'string', default: DEFAULT_EXPORT_TARGET, help: 'Base URL of har request URLs and the curl script\'s default $TARGET; captured paths are appended to it' },
  { flag: 'hec-payload', kind: 'string', default: 'soveren', choices: HEC_PAYLOADS, help: 'With --format hec: the event inside each envelope (the raw Soveren event, or its OCSF or ECS mapping)' },
  { flag: 'hec-index', kind: 'string', help: 'With --format hec: the Splunk index named in each envelope' },
  { flag: 'hec-host', kind: 'string', help: 'With --format hec: the envelope\'s host (default: the host of the event link)' },
];

export const EXPORT_HELP = formatHelp(
  'soveren-inspector export --db FILE --format ndjson|har|curl|ocsf|ecs|cef|hec [--query Q] [--out FILE] [--target URL]',
  'Export captured deliveries, oldest first. NDJSON keeps the exact bytes (base64, plus the text),\nheaders, verdicts, arrival times and replay/forward attempts (never a token); `import` turns it\nback into deliveries. ocsf, ecs and hec write each delivery\'s SIEM mapping as one JSON line, cef\none CEF line; deliveries whose body is not a JSON object have no mapping and are counted on\nstandard error.',
  EXPORT_OPTIONS,
);

export async function runExport(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseOptions(EXPORT_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`export takes no arguments, got "${positionals[0]}" (use --out FILE)`);
  const format = v.format as ExportFormat | SiemFormat;
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
    const siem = isSiemFormat(format) ? createSiemExport(format, hecOptions(v)) : null;
    const attempts = format === 'ndjson' ? createAttemptTransfer(db) : null;
    /** The text for one delivery ('' when it has no mapping), or null when it is gone. */
    const entryOf = (id: number): string | null => {
      if (siem) {
        const raw = deliveries.getRaw(id);
        return raw ? siem.entry({ id, receivedAt: raw.receivedAt, body: raw.body, bodySha256: raw.bodySha256 }) : null;
      }
      const d = deliveries.get(id);
      // NDJSON carries the delivery's attempts too, so an import keeps its replay history.
      return d ? writer.entry(attempts ? { ...d, attempts: attempts.exportAttempts(id) } : d) : null;
    };
    const out = outFile === undefined ? process.stdout : createWriteStream(outFile);
    let broken: Error | null = null;
    out.on('error', (err: Error) => { broken = err; }); // a closed pipe (| head) ends the export quietly
    const write = async (text: string) => {
      if (text !== '' && !broken && !out.write(text)) await settle(out, 'drain');
    };
    const progress = createProgress({ total, label: 'export', threshold: 1000 });
    let count = 0;
    if (!siem) await write(writer.begin());
    for (let cursor = 0; !broken;) {
      const page = deliveries.listAfter(parsed, cursor, 200);
      if (page.length === 0) break;
      for (const summary of page) {
        const text = entryOf(summary.id);
        if (text) {
          await write(text);
          count++;
        }
        progress.tick();
      }
      cursor = page[page.length - 1]!.id;
    }
    if (!siem) await write(writer.end());
    progress.done();
    if (outFile !== undefined && !broken) {
      out.end();
      await settle(out, 'finish');
    }
    const failure = broken as Error | null;
    if (failure !== null && outFile !== undefined) throw new UsageError(`--out ${outFile}: ${failure.message}`);
    process.stderr.write(`exported ${count} deliveries as ${format}${outFile !== undefined ? ` to ${outFile}` : ''}\n`);
    const skipped = siem?.skipped();
    if (skipped && skipped.count > 0) {
      process.stderr.write(`skipped ${skipped.count} whose body is not a JSON event object (${skipped.examples.map((e) => sanitizeForTerminal(e, 200)).join('; ')})\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}

function isSiemFormat(format: string): format is SiemFormat {
  return (SIEM_FORMATS as readonly string[]).includes(format);
}

function hecOptions(v: Record<string, unknown>): HecOptions {
  const options: HecOptions = { payload: v['hec-payload'] as HecOptions['payload'] };
  for (const flag of ['hec-index', 'hec-host'] as const) {
    const value = v[flag] as string | undefined;
    if (value === undefined) continue;
    if (value.trim() === '') throw new UsageError(`--${flag} must not be empty`);
    options[flag === 'hec-index' ? 'index' : 'host'] = value;
  }
  return options;
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
