// `check`: the connector conformance check. Sends every scenario to the connector, prints
// the scorecard (stdout, or stderr with --json), optionally JSON and JUnit reports; exits 0
// only when every required scenario passed, 1 otherwise, 2 for bad usage.
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import type { CheckSettings } from '../common/protocol.ts';
import { sanitizeForTerminal } from '../log.ts';
import { formatJunit } from '../check/junit.ts';
import { runCheck } from '../check/runner.ts';
import { CHECK_LIMITS, DEFAULT_CHECK_SETTINGS, parseStatusList, planScenarios } from '../check/scenarios.ts';
import { formatJsonReport, formatScorecard } from '../check/scorecard.ts';
import { firstToken, stopOnInterrupt } from './cli-support.ts';
import { describeBadTarget } from '../sender/target-url.ts';
import type { CheckReport, CheckScenarioInfo, SinkKind } from '../common/protocol.ts';
import type { startSinks } from '../sink/sinks.ts';
import { createOutputCollector } from '../check/through.ts';

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  { flag: 'token', kind: 'string', repeatable: true, env: 'SOVEREN_WEBHOOK_TOKEN', secret: true, help: 'Webhook token the connector verifies signatures with (required; with several, the first signs)' },
  { flag: 'junit', kind: 'string', help: 'Also write a JUnit XML report to this file: one testcase per scenario, for CI' },
  { flag: 'json', kind: 'boolean', default: false, help: 'Print a machine-readable JSON report on stdout; the scorecard then goes to stderr' },
  { flag: 'timeout', kind: 'duration', default: '10s', min: CHECK_LIMITS.timeoutMs.min, max: CHECK_LIMITS.timeoutMs.max, help: 'Per-request timeout: no answer in time fails the scenario' },
  { flag: 'burst', kind: 'int', default: DEFAULT_CHECK_SETTINGS.burst, min: CHECK_LIMITS.burst.min, max: CHECK_LIMITS.burst.max, help: 'Concurrent valid events sent at once by the burst scenario' },
  { flag: 'expect-reject', kind: 'string', default: '401,403', help: 'Statuses that count as refusing a bad signature, comma-separated' },
  { flag: 'large-size', kind: 'bytes', default: '512k', min: CHECK_LIMITS.largeSize.min, max: CHECK_LIMITS.largeSize.max, help: 'Size of the large valid event' },
  { flag: 'only', kind: 'string', help: 'Run only scenarios whose id or name contains one of these comma-separated words (signature, json, category, event_type, retry, large, burst, ...)' },
  { flag: 'db', kind: 'string', help: 'Also record the run in this SQLite database (created when missing): `serve --db` on it shows the run in the Check dialog\'s history' },
  { flag: 'list', kind: 'boolean', default: false, help: 'List the scenarios (with --only: the selected ones) and exit' },
  { flag: 'through', kind: 'string', choices: ['hec', 'elastic', 'syslog', 'http'], help: 'Also check what the connector writes into this SIEM sink, started here: every accepted event once and mapped, no forged one' },
  { flag: 'sink-port', kind: 'int', default: 4782, min: 0, max: 65535, help: 'With --through: port of the HTTP sink (HEC, Elasticsearch, JSON) the connector writes to' },
  { flag: 'syslog-port', kind: 'int', default: 4783, min: 0, max: 65535, help: 'With --through: port of the syslog sink (TCP and UDP)' },
  { flag: 'sink-token', kind: 'string', secret: true, help: 'With --through: token the connector must present to the sink (any is accepted without it)' },
  { flag: 'sink-wait', kind: 'duration', default: '10s', min: CHECK_LIMITS.sinkWaitMs.min, max: CHECK_LIMITS.sinkWaitMs.max, help: 'With --through: how long to wait for the last events to reach the sink' },
];

export const CHECK_HELP = formatHelp(
  'soveren-inspector check URL --token T [--through hec|elastic|syslog|http] [--junit FILE] [--json] [--db FILE] [options]',
  `Check that the connector at URL handles Soveren webhooks as it must: valid signed events of
every category and all 29 event types accepted (2xx); bad, missing, malformed or doubled
signatures refused (401/403); malformed JSON and empty bodies answered 4xx, never 5xx;
unknown event types, fields and category spellings accepted; retries accepted; a large
event and a burst of concurrent events handled in time. User-agent checks and uppercase
hex are reported for information only.
With --through, the check also plays the SIEM: point the connector's output at the sink it
starts, and every accepted event must arrive there once and mapped (title, event type,
category, event link, time, severity), no forged one may arrive, and the latency is shown.
Exit 0 when every required scenario passed, 1 when any failed, 2 for bad usage.`,
  CHECK_OPTIONS,
);

/** Flags -> settings, target and outputs, or a UsageError naming the flag. */
export function checkConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const { values: v, positionals } = parseOptions(CHECK_OPTIONS, argv, env);
  const expectReject = parseStatusList(v['expect-reject'] as string);
  if (typeof expectReject === 'string') throw new UsageError(`--expect-reject ${expectReject}`);
  const only = ((v.only as string | undefined) ?? '').trim();
  const through = (v.through as SinkKind | undefined) ?? null;
  const settings: CheckSettings = {
    timeoutMs: v.timeout as number,
    burst: v.burst as number,
    expectReject,
    largeSize: v['large-size'] as number,
    only: only === '' ? null : only,
    ...(through !== null && { through, sinkWaitMs: v['sink-wait'] as number }),
  };
  const planned = planScenarios(settings);
  if (planned.length === 0) throw new UsageError(`--only "${only}" matches no scenario (run "soveren-inspector check --list" to see them)`);
  if (v.list as boolean) return { list: true as const, planned };

  if (positionals.length === 0) throw new UsageError('check needs the connector URL: soveren-inspector check URL --token T');
  if (positionals.length > 1) throw new UsageError(`check takes one URL, got also "${positionals[1]!.slice(0, 80)}"`);
  const url = positionals[0]!;
  const problem = describeBadTarget(url);
  if (problem) throw new UsageError(`URL: ${problem}`);
  const token = firstToken(v.token as string[]);
  if (token === null) throw new UsageError('--token is required: the webhook token your connector verifies signatures with (or set SOVEREN_WEBHOOK_TOKEN)');
  const junit = v.junit as string | undefined;
  if (junit !== undefined) checkWritable(junit);
  if (through === null && (argv.some((a) => /^--sink-(port|token|wait)\b|^--syslog-port\b/.test(a)))) {
    throw new UsageError('--sink-port, --syslog-port, --sink-token and --sink-wait go with --through hec|elastic|syslog|http');
  }
  const sinks = through === null ? null : {
    kind: through, httpPort: v['sink-port'] as number, syslogPort: v['syslog-port'] as number,
    token: (v['sink-token'] as string | undefined) ?? null, waitMs: v['sink-wait'] as number,
  };
  const db = v.db as string | undefined;
  if (db === '') throw new UsageError('--db needs a file name');
  return { list: false as const, planned, url, token, settings, junit: junit ?? null, json: v.json as boolean, sinks, db: db ?? null };
}

/** Fail before sending anything when the JUnit report could not be written. */
function checkWritable(file: string): void {
  if (file === '') throw new UsageError('--junit needs a file name');
  const dir = dirname(resolve(file));
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new UsageError(`--junit ${file}: the directory ${dir} does not exist`);
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--junit ${file} is a directory; give a file name`);
}

export async function runCheckCommand(argv: readonly string[]): Promise<number> {
  const config = checkConfig(argv);
  if (config.list) {
    const rows = config.planned.map((s) => `${s.id.padEnd(42)} ${(s.required ? 'required' : 'info').padEnd(9)} ${s.expected.padEnd(14)} ${s.name}`);
    process.stdout.write(rows.join('\n') + '\n');
    return 0;
  }
  const { url, token, settings } = config;
  const err = process.stderr;
  // Opened before anything is sent: a bad --db fails fast, naming the flag.
  const history = config.db === null ? null : await openCheckHistory(config.db);
  const progress = Boolean(err.isTTY);
  const collector = createOutputCollector();
  let sinks: Awaited<ReturnType<typeof startSinks>> | null = null;
  if (config.sinks) {
    try {
      // Loaded only with --through: the sinks bring the web stack (hono), which a plain check does without.
      const { startSinks } = await import('../sink/sinks.ts');
      sinks = await startSinks({ ingest: collector.ingest, token: config.sinks.token, maxBody: 1024 * 1024, timeoutMs: settings.timeoutMs, host: '127.0.0.1', httpPort: config.sinks.httpPort, syslogPort: config.sinks.syslogPort });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`--sink-port / --syslog-port: ${(e as Error).message.replace(/^listen EADDRINUSE: address already in use /, '')} is in use; choose another, or 0 for any`);
      throw e;
    }
    err.write(`sink: ${sinks.sinkUrl}\nsyslog: ${sinks.syslogAddress} (tcp, udp)\n`);
  }
  const interrupt = stopOnInterrupt('the check');
  let report: CheckReport;
  try {
    report = await runCheck({ url, token }, settings, {
      signal: interrupt.signal,
      ...(config.sinks && { through: { kind: config.sinks.kind, waitMs: config.sinks.waitMs, outputs: () => collector.received } }),
      onStart: (s, i, total) => {
        if (progress) err.write(`\r\x1b[K[${i + 1}/${total}] ${sanitizeForTerminal(s.name, Math.max(20, (err.columns ?? 80) - 12))}`);
      },
      onWait: ({ kind, waitMs }) => {
        if (progress) err.write(`\r\x1b[Kwaiting up to ${Math.round(waitMs / 1000)} s for the events to reach the ${kind} sink`);
      },
    });
  } finally {
    interrupt.dispose();
    await sinks?.close();
    if (progress) err.write('\r\x1b[K');
  }
  const scoreOut = config.json ? process.stderr : process.stdout;
  const color = Boolean(scoreOut.isTTY) && !process.env.NO_COLOR;
  scoreOut.write(formatScorecard(report, { color, width: scoreOut.columns ?? 100 }));
  if (config.json) process.stdout.write(formatJsonReport(report));
  if (config.junit !== null) {
    try {
      writeFileSync(config.junit, formatJunit(report));
    } catch (e) {
      err.write(`soveren-inspector: --junit ${config.junit}: could not write the report: ${(e as Error).message}\n`);
      history?.close();
      return 1;
    }
  }
  if (history) {
    try {
      const id = history.record(report, config.planned, interrupt.signal.aborted);
      err.write(`recorded as check run #${id} in ${config.db} (the Check dialog of serve --db ${config.db} lists it)\n`);
    } catch (e) {
      err.write(`soveren-inspector: --db ${config.db}: could not record the run: ${(e as Error).message}\n`);
      return 1;
    } finally {
      history.close();
    }
  }
  return report.ok ? 0 : 1;
}

/** `--db`: the check history of a database; loaded only then (a plain check needs no SQLite). */
async function openCheckHistory(file: string) {
  const [{ openDatabaseForCli }, { createCheckRunStore }] = await Promise.all([import('./cli-database.ts'), import('../store/check-runs.ts')]);
  const db = openDatabaseForCli(file);
  const runs = createCheckRunStore(db);
  return {
    record(report: CheckReport, planned: CheckScenarioInfo[], interrupted: boolean): number {
      return runs.recordFinished({
        id: 0, source: 'cli', url: report.url, state: interrupted ? 'interrupted' : report.ok ? 'passed' : 'failed',
        startedAt: report.startedAt, finishedAt: report.finishedAt, planned, counts: report.counts, settings: report.settings, results: report.scenarios,
      });
    },
    close: () => db.close(),
  };
}
