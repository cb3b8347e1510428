// CLI entry: dispatch to a command, turn UsageError into one line and exit code 2.
// Exit codes: 0 success; 1 a request the command made failed or got a non-2xx; 2 bad usage
// or an incomplete build.
import { closestFlag, UsageError } from './config.ts';
import { VERSION } from './version.ts';
import { describeMissingModule } from './dist.ts';

type Command = { describe: string; help: () => Promise<string>; run: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  serve: {
    describe: 'receive webhooks and run the inspector UI (default)',
    help: async () => (await import('./commands/serve.ts')).SERVE_HELP,
    run: async (argv) => (await import('./commands/serve.ts')).runServe(argv),
  },
  send: {
    describe: 'send Soveren-faithful test events (all 29 types, signed, optionally tampered)',
    help: async () => (await import('./commands/send.ts')).SEND_HELP,
    run: async (argv) => (await import('./commands/send.ts')).runSend(argv),
  },
  replay: {
    describe: 're-send captured deliveries byte for byte to your connector',
    help: async () => (await import('./commands/replay.ts')).REPLAY_HELP,
    run: async (argv) => (await import('./commands/replay.ts')).runReplay(argv),
  },
  export: {
    describe: 'export captured deliveries as NDJSON, HAR or a curl script',
    help: async () => (await import('./commands/export.ts')).EXPORT_HELP,
    run: async (argv) => (await import('./commands/export.ts')).runExport(argv),
  },
  import: {
    describe: 'import an NDJSON export as deliveries (same bytes and verdicts)',
    help: async () => (await import('./commands/import.ts')).IMPORT_HELP,
    run: async (argv) => (await import('./commands/import.ts')).runImport(argv),
  },
  check: {
    describe: 'conformance check: does your connector accept good deliveries and refuse bad ones?',
    help: async () => (await import('./commands/check.ts')).CHECK_HELP,
    run: async (argv) => (await import('./commands/check.ts')).runCheckCommand(argv),
  },
  coverage: {
    describe: 'which event types were seen, sent, replayed/forwarded per target and checked (a CI gate)',
    help: async () => (await import('./commands/coverage.ts')).COVERAGE_HELP,
    run: async (argv) => (await import('./commands/coverage.ts')).runCoverage(argv),
  },
  schema: {
    describe: 'print JSON Schemas (2020-12) of Soveren events: the envelope and one per event type',
    help: async () => (await import('./commands/schema.ts')).SCHEMA_HELP,
    run: async (argv) => (await import('./commands/schema.ts')).runSchema(argv),
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.describe}`);
  return `soveren-inspector ${VERSION}: receive, inspect and replay Soveren security webhooks

Usage: soveren-inspector <command> [options]

Commands:
${rows.join('\n')}

Run "soveren-inspector <command> --help" for a command's options.
UI http://127.0.0.1:4780, receiver http://127.0.0.1:4781 by default.
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const near = closestFlag(name, Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${name}"${near ? `; did you mean "${near}"?` : ''} (commands: ${Object.keys(COMMANDS).join(', ')})`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(await command.help());
    return 0;
  }
  return command.run(rest);
}

// `soveren-inspector export ... | head` closes our stdout early: that is the reader's
// choice, not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const incomplete = describeMissingModule(err);
  if (err instanceof UsageError || incomplete !== null) {
    process.stderr.write(`soveren-inspector: ${incomplete ?? (err as Error).message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`soveren-inspector: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
