// `serve`: run the receiver and the inspector UI until SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import { formatHelp, isLoopbackHost, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import type { InspectorConfig } from '../inspector.ts';
import { startWriter } from '../store/writer.ts';
import { findIncompleteBuild, FROM_SOURCES } from '../dist.ts';
import { DatabaseTooNewError } from '../store/migrations.ts';
import { describeForwarding, forwardConfigFrom, FORWARD_OPTIONS } from './forward-options.ts';

export const SERVE_OPTIONS: readonly OptionSpec[] = [
  { flag: 'ui-port', kind: 'int', default: 4780, min: 0, max: 65535, help: 'Port of the UI and API (0 picks a free port)' },
  { flag: 'receiver-port', kind: 'int', default: 4781, min: 0, max: 65535, help: 'Port that receives webhooks (0 picks a free port)' },
  { flag: 'host', kind: 'string', default: '127.0.0.1', help: 'Address of the UI/API listener; beyond loopback it requires an access token' },
  { flag: 'receiver-host', kind: 'string', default: '127.0.0.1', help: 'Address of the receiver (expose it through a tunnel rather than binding wide)' },
  { flag: 'db', kind: 'string', default: './soveren-inspector.db', help: 'SQLite database file' },
  { flag: 'token', kind: 'string', repeatable: true, env: 'SOVEREN_WEBHOOK_TOKEN', secret: true, help: "Webhook token(s) to verify x-soveren-signature; give two during rotation" },
  { flag: 'max-body', kind: 'bytes', default: '1m', min: 1, max: 1024 ** 3, help: 'Largest body stored; larger ones are answered 413' },
  { flag: 'timeout', kind: 'duration', default: '10s', min: 100, max: 600_000, help: 'Header and body timeout of the receiver' },
  { flag: 'require-user-agent', kind: 'boolean', default: false, help: 'Refuse (403) deliveries whose User-Agent is not SoverenWebhook/1.0' },
  { flag: 'accept-invalid', kind: 'boolean', default: false, help: 'Answer 2xx even when the signature is not valid (still recorded)' },
  { flag: 'max-deliveries', kind: 'int', default: 100_000, min: 1, max: 100_000_000, help: 'Keep the newest N deliveries; older ones are pruned and counted' },
  { flag: 'durability', kind: 'string', default: 'normal', choices: ['normal', 'full'], help: 'normal survives a crash of this process; full also survives power loss (slower)' },
  { flag: 'response-status', kind: 'int', default: 200, min: 200, max: 599, help: 'Status answered to accepted deliveries (simulate a failing connector)' },
  { flag: 'response-delay', kind: 'duration', default: '0', min: 0, max: 60_000, help: 'Delay before answering (simulate a slow connector)' },
  { flag: 'allowed-host', kind: 'string', repeatable: true, help: 'Extra Host name the UI accepts (behind a proxy)' },
  { flag: 'access-token', kind: 'string', secret: true, help: 'Token for the UI/API when --host is not loopback (generated if omitted)' },
  { flag: 'sink-port', kind: 'int', default: 4782, min: 0, max: 65535, help: 'Port of the SIEM sink: Splunk HEC, Elasticsearch and any JSON POST (0 picks a free port)' },
  { flag: 'syslog-port', kind: 'int', default: 4783, min: 0, max: 65535, help: 'Port of the syslog sink, TCP and UDP (0 picks a free port)' },
  { flag: 'sink-host', kind: 'string', default: '127.0.0.1', help: 'Address of both sinks' },
  { flag: 'sink-token', kind: 'string', secret: true, help: 'Token SIEM clients must present (Splunk, ApiKey, Basic password or Bearer); without it any token is accepted' },
  { flag: 'quiet', kind: 'boolean', default: false, short: 'q', help: 'Do not print a line per delivery' },
  ...FORWARD_OPTIONS,
];

export const SERVE_HELP = formatHelp(
  'soveren-inspector serve [options]',
  'Receive Soveren webhooks, store them in SQLite and inspect them live in the browser.',
  SERVE_OPTIONS,
);

/** Options -> InspectorConfig, or a UsageError naming the flag. */
export function serveConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): InspectorConfig {
  const { values: v, positionals } = parseOptions(SERVE_OPTIONS, argv, env);
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got "${positionals[0]}"`);
  const tokens = v.token as string[];
  if (tokens.some((t) => t.length === 0)) throw new UsageError('--token must not be empty');
  if (v['sink-token'] === '') throw new UsageError('--sink-token must not be empty');
  const host = v.host as string;
  const loopback = isLoopbackHost(host);
  const givenAccessToken = v['access-token'] as string | undefined;
  // An empty or guessable token on a network-facing listener would be no protection at all.
  if (givenAccessToken !== undefined && givenAccessToken.length < 16) throw new UsageError('--access-token must be at least 16 characters');
  const accessToken = givenAccessToken ?? (loopback ? null : randomBytes(18).toString('base64url'));
  return {
    db: v.db as string,
    uiPort: v['ui-port'] as number,
    receiverPort: v['receiver-port'] as number,
    host,
    receiverHost: v['receiver-host'] as string,
    tokens,
    maxBody: v['max-body'] as number,
    timeoutMs: v.timeout as number,
    requireUserAgent: v['require-user-agent'] as boolean,
    acceptInvalid: v['accept-invalid'] as boolean,
    maxDeliveries: v['max-deliveries'] as number,
    durability: v.durability as 'normal' | 'full',
    response: { status: v['response-status'] as number, delayMs: v['response-delay'] as number },
    allowedHosts: v['allowed-host'] as string[],
    accessToken,
    quiet: v.quiet as boolean,
    forward: forwardConfigFrom(v),
    sinkPort: v['sink-port'] as number,
    syslogPort: v['syslog-port'] as number,
    sinkHost: v['sink-host'] as string,
    sinkToken: (v['sink-token'] as string | undefined) ?? null,
  };
}

export async function runServe(argv: readonly string[]): Promise<number> {
  const config = serveConfig(argv);
  // A build with a file missing would serve a blank page or fail at the first delivery.
  const incomplete = FROM_SOURCES ? null : findIncompleteBuild();
  if (incomplete !== null) throw new UsageError(incomplete);
  // The writer thread starts first: it opens the database on its own core while this one
  // loads the listeners' code (most of the time to the first answered delivery).
  const writerStarting = startWriter({ file: config.db, durability: config.durability, maxDeliveries: config.maxDeliveries });
  writerStarting.catch(() => {}); // startInspector awaits it and reports its failure
  let inspector;
  try {
    const { startInspector } = await import('../inspector.ts');
    inspector = await startInspector(config, writerStarting);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof DatabaseTooNewError) throw new UsageError(`--db ${e.message}`);
    if (e.code === 'EADDRINUSE') throw new UsageError(`port already in use (${e.message.replace(/^listen EADDRINUSE: address already in use /, '')}); choose another with --ui-port / --receiver-port / --sink-port / --syslog-port, or 0 for any`);
    if (e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_NOTADB') throw new UsageError(`--db ${config.db}: ${e.message}`);
    throw err;
  }
  const { logger } = inspector;
  // Warnings first: whoever waits for the URL lines has seen them by then.
  if (!isLoopbackHost(config.host)) {
    logger.warn(`warning: the UI/API listens on ${config.host}, beyond loopback; every request needs the access token`);
  }
  if (!isLoopbackHost(config.receiverHost) && config.tokens.length === 0) {
    logger.warn(`warning: the receiver listens on ${config.receiverHost} without --token; anyone who can reach it can store deliveries`);
  }
  if (!isLoopbackHost(config.sinkHost ?? '127.0.0.1') && config.sinkToken === null) {
    logger.warn(`warning: the sinks listen on ${config.sinkHost} without --sink-token; anyone who can reach them can store outputs`);
  }
  logger.info(`receiver: ${inspector.receiverUrl}`);
  const givenToken = parseOptions(SERVE_OPTIONS, argv).values['access-token'] !== undefined;
  if (config.accessToken !== null && !givenToken) {
    // Generated: printed this once, so the user can open the UI; never logged again.
    logger.info(`ui: ${inspector.uiUrl}?token=${config.accessToken}`);
  } else {
    logger.info(`ui: ${inspector.uiUrl}${config.accessToken !== null ? ' (open it with ?token=<your --access-token>)' : ''}`);
  }
  logger.info(`sink: ${inspector.sinkUrl}`);
  logger.info(`syslog: ${inspector.syslogAddress} (tcp, udp)`);
  logger.info(`database: ${config.db} (${config.durability} durability, keeps newest ${config.maxDeliveries})` +
    `, signature: ${config.tokens.length ? `${config.tokens.length} token(s)` : 'unchecked (no --token)'}`);
  const forwarding = describeForwarding(config.forward);
  if (forwarding !== null) logger.info(forwarding);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info(`${signal}: finishing in-flight deliveries and closing the database`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await inspector.close();
  return 0;
}
