// `replay`: stored deliveries (by id or by search) re-sent byte for byte to a URL, re-signed
// or with the stored signature verbatim; works while `serve` has the database open and
// records every attempt there. Exit 1 when any delivery was not answered 2xx in the end.
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { firstToken, givenOnCommandLine, parseQueryOption, parseRate, stopOnInterrupt } from './cli-support.ts';
import { openExistingDatabase } from './cli-database.ts';
import { DEFAULT_RETRY_POLICY } from '../sender/deliver.ts';
import { runPool } from '../sender/pool.ts';
import { createProgress } from './progress.ts';
import { createReplayer, type ReplayOutcome, type ReplaySigning } from '../sender/replay.ts';
import { countStatuses, formatRequestLine, formatStatuses, formatMs, summarizeLatency } from '../sender/report.ts';
import { openRouteForCli, siemOptions } from './siem-options.ts';
import { redactUrl } from '../sender/target-url.ts';
import { parseTarget, TARGET_FORMS } from '../sender/transports/target.ts';
import type { SiemRoute } from '../sender/transports/index.ts';
import { createAttemptStore } from '../store/attempts.ts';
import { createDeliveryStore } from '../store/deliveries.ts';

export const REPLAY_OPTIONS: readonly OptionSpec[] = [
  { flag: 'db', kind: 'string', default: './soveren-inspector.db', help: 'SQLite database of a `serve` (it may be running)' },
  { flag: 'id', kind: 'string', repeatable: true, help: 'Delivery id(s) to replay: 12, 12,13 or 10-20; more ids may follow as arguments' },
  { flag: 'query', kind: 'string', help: 'Replay every delivery matching this search (UI syntax, e.g. "category:data_at_risk sig:valid", "forward:failed after:1h", "attempt:5xx"), oldest first' },
  { flag: 'limit', kind: 'int', default: 10_000, min: 1, max: 1_000_000, help: 'At most this many deliveries from --query' },
  { flag: 'to', kind: 'string', help: 'Target: your connector (http(s)://), Splunk HEC (hec+http(s)://host:port), Elasticsearch (elastic+http(s)://host:port/index) or syslog (syslog+tcp|udp|tls://host:port)' },
  { flag: 'token', kind: 'string', repeatable: true, env: 'SOVEREN_WEBHOOK_TOKEN', secret: true, help: "Sign each body afresh with this token (your connector's)" },
  { flag: 'keep-signature', kind: 'boolean', default: false, help: 'Send the stored x-soveren-signature header verbatim instead' },
  { flag: 'unsigned', kind: 'boolean', default: false, help: 'Send no signature header at all' },
  { flag: 'timeout', kind: 'duration', default: '10s', min: 100, max: 600_000, help: 'Per-try timeout' },
  { flag: 'retries', kind: 'int', default: 0, min: 0, max: 10, help: 'Retries after network errors, timeouts, 429 and 5xx (exponential backoff with jitter, Retry-After honoured up to 60 s)' },
  { flag: 'retry-delay', kind: 'duration', default: '1s', min: 10, max: 60_000, help: 'First backoff; doubles with each retry' },
  { flag: 'rate', kind: 'string', help: 'At most this many requests per second; unlimited when omitted' },
  { flag: 'concurrency', kind: 'int', default: 1, min: 1, max: 64, help: 'Deliveries in flight at once (1 keeps the original order)' },
  { flag: 'quiet', kind: 'boolean', default: false, short: 'q', help: 'Print the summary only' },
  ...siemOptions(''),
];

export const REPLAY_HELP = formatHelp(
  'soveren-inspector replay --db FILE (--id N... | --query Q) --to URL (--token T | --keep-signature | SIEM options)',
  `Re-send captured deliveries. To an http(s):// connector: the stored body byte for byte, User-Agent:
SoverenWebhook/1.0, Content-Type: application/json, and a fresh signature (--token) or the stored one
(--keep-signature); redirects are never followed (a 3xx is a failure). To a SIEM: hec+http(s)://host:port
(Splunk HEC, --hec-token), elastic+http(s)://host:port/index (Elasticsearch _bulk, --elastic-api-key) or
syslog+tcp|udp|tls://host:port (RFC 5424, ?framing=lf for LF framing), in --format. Every try is stored.`,
  REPLAY_OPTIONS,
);

const MAX_RANGE = 100_000;

/** "12", "12,13", "10-20" -> ids; a UsageError naming --id otherwise. */
export function parseIdSpecs(specs: readonly string[]): number[] {
  const ids: number[] = [];
  for (const spec of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d{1,15})-(\d{1,15})$/.exec(spec);
    if (range) {
      const [lo, hi] = [Number(range[1]), Number(range[2])];
      if (hi < lo || hi - lo >= MAX_RANGE) throw new UsageError(`--id ${spec}: a range goes low-high, at most ${MAX_RANGE} ids`);
      for (let id = lo; id <= hi; id++) ids.push(id);
    } else if (/^\d{1,15}$/.test(spec)) {
      ids.push(Number(spec));
    } else {
      throw new UsageError(`--id takes delivery ids such as 12, 12,13 or 10-20, got "${spec}"`);
    }
  }
  return [...new Set(ids)];
}

function chooseSigning(argv: readonly string[], v: Record<string, unknown>, siem: boolean): ReplaySigning {
  if (siem) {
    if (givenOnCommandLine(argv, 'token') || v['keep-signature'] || v.unsigned) {
      throw new UsageError('--token, --keep-signature and --unsigned sign Soveren webhooks; a SIEM target takes --hec-token or --elastic-api-key (or user:password in the URL)');
    }
    return { mode: 'none' };
  }
  const token = firstToken(v.token as string[]);
  const keep = v['keep-signature'] as boolean;
  const unsigned = v.unsigned as boolean;
  const typedToken = givenOnCommandLine(argv, 'token');
  if ([keep, unsigned, typedToken].filter(Boolean).length > 1) throw new UsageError('--token, --keep-signature and --unsigned exclude each other');
  if (keep) return { mode: 'keep' };
  if (unsigned) return { mode: 'none' };
  if (token !== null) return { mode: 'token', token };
  throw new UsageError('replay needs --token T (sign afresh) or --keep-signature (the stored header verbatim); --unsigned sends none');
}

export async function runReplay(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseOptions(REPLAY_OPTIONS, argv);
  const idSpecs = [...(v.id as string[]), ...positionals];
  const query = v.query as string | undefined;
  if (idSpecs.length > 0 && query !== undefined) throw new UsageError('--id and --query exclude each other');
  if (idSpecs.length === 0 && query === undefined) throw new UsageError('replay needs --id N... or --query Q (which deliveries)');
  const ids = idSpecs.length > 0 ? parseIdSpecs(idSpecs) : [];
  const to = v.to as string | undefined;
  if (to === undefined || to === '') throw new UsageError(`--to URL is required (where to send: ${TARGET_FORMS})`);
  const siem = openRouteForCli('to', to, v, '');
  const signing = chooseSigning(argv, v, siem !== null);
  const ratePerSec = parseRate(v.rate as string | undefined);

  const db = openExistingDatabase(v.db as string);
  try {
    const deliveries = createDeliveryStore(db, { maxDeliveries: Number.MAX_SAFE_INTEGER });
    const attempts = createAttemptStore(db);
    if (query !== undefined) {
      const parsed = parseQueryOption(query);
      const limit = v.limit as number;
      for (let cursor = 0; ids.length < limit;) {
        const page = deliveries.listAfter(parsed, cursor, Math.min(500, limit - ids.length));
        if (page.length === 0) break;
        for (const d of page) ids.push(d.id);
        cursor = page[page.length - 1]!.id;
      }
      if (ids.length === 0) {
        process.stdout.write(`no delivery matches --query ${JSON.stringify(query)}\n`);
        return 0;
      }
    }
    return await replayAll(ids, { deliveries, attempts, to, signing, siem, ratePerSec, v });
  } finally {
    siem?.transport.close();
    db.close();
  }
}

async function replayAll(ids: number[], o: {
  deliveries: ReturnType<typeof createDeliveryStore>; attempts: ReturnType<typeof createAttemptStore>;
  to: string; signing: ReplaySigning; siem: SiemRoute | null; ratePerSec: number | null; v: Record<string, unknown>;
}): Promise<number> {
  const quiet = o.v.quiet as boolean;
  const total = ids.length;
  const progress = createProgress({ total, label: 'replay' });
  let storeWarned = false;
  const replayer = createReplayer({
    deliveries: o.deliveries, attempts: o.attempts, kind: 'replay',
    onStoreError: (err) => {
      if (!storeWarned) process.stderr.write(`warning: could not record an attempt in the database: ${err.message}\n`);
      storeWarned = true;
    },
  });
  const policy = { ...DEFAULT_RETRY_POLICY, retries: o.v.retries as number, baseDelayMs: o.v['retry-delay'] as number };
  const outcomes: ReplayOutcome[] = [];
  const stop = stopOnInterrupt('the replay');
  try {
    await runPool(total, async (index) => {
      const id = ids[index]!;
      const outcome = await replayer.replay(id, { url: o.to, signing: o.signing, siem: o.siem, timeoutMs: o.v.timeout as number, policy, signal: stop.signal });
      outcomes.push(outcome);
      progress.tick();
      if (quiet) return;
      if (!outcome.found) progress.line(formatRequestLine({ index, total, status: null, durationMs: 0, label: `#${id}`, error: outcome.error }));
      outcome.results.forEach((r, i) => progress.line(formatRequestLine({
        index, total, status: r.status, durationMs: r.durationMs, label: `#${id}`, error: r.ok ? null : r.error,
        ...(outcome.results.length > 1 && { note: `try ${i + 1}/${outcome.results.length}` }),
      })));
    }, { concurrency: o.v.concurrency as number, ratePerSec: o.ratePerSec, signal: stop.signal });
  } finally {
    progress.done();
    stop.dispose();
  }

  const tries = outcomes.flatMap((x) => x.results);
  const ok = outcomes.filter((x) => x.ok).length;
  const missing = outcomes.filter((x) => !x.found).length;
  const latency = summarizeLatency(tries.filter((r) => r.status !== null).map((r) => r.durationMs));
  const how = o.siem ? `${o.siem.render.format} over ${describeTransport(o.to)}`
    : o.signing.mode === 'token' ? 're-signed' : o.signing.mode === 'keep' ? 'stored signature' : 'unsigned';
  const lines = [`replayed ${outcomes.length} deliveries to ${redactUrl(o.to)} (${how}): ${ok} ok, ${outcomes.length - ok} failed` +
    `${missing ? ` (${missing} not found)` : ''}; ${tries.length} tries; statuses ${formatStatuses(countStatuses(tries))}; ` +
    `latency p50 ${formatMs(latency.p50)}, p99 ${formatMs(latency.p99)}`];
  if (outcomes.length < total) lines.push(`stopped after ${outcomes.length} of ${total}`);
  process.stdout.write(lines.join('\n') + '\n');
  return ok === total ? 0 : 1;
}

/** "Splunk HEC", "Elasticsearch _bulk", "syslog over TCP": the summary's words for a SIEM target. */
function describeTransport(url: string): string {
  const t = parseTarget(url);
  if ('error' in t) return 'an unknown transport';
  if (t.kind === 'syslog') return `syslog over ${t.protocol.toUpperCase()}${t.protocol === 'tcp' ? ` (${t.framing === 'lf' ? 'LF' : 'octet-counted'})` : ''}`;
  return t.kind === 'hec' ? 'Splunk HEC' : t.kind === 'elastic' ? `Elasticsearch _bulk into ${t.index}` : 'HTTP';
}
