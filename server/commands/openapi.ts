// `openapi`: prints the OpenAPI 3.1 document of the UI listener's API (the same one
// GET /api/openapi.json serves), so integrators can generate clients without a running server.
import { writeFileSync } from 'node:fs';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { VERSION } from '../version.ts';
import { createOpenApiDocument } from '../api/openapi.ts';

export const OPENAPI_OPTIONS: readonly OptionSpec[] = [
  { flag: 'out', kind: 'string', help: 'Write to this file instead of standard output' },
];

export const OPENAPI_HELP = formatHelp(
  'soveren-inspector openapi [--out FILE]',
  'Print the OpenAPI 3.1 document of the API (every /api route with its request and answer\nschemas, the /api/stream messages, and the receiver\'s Soveren webhook), as JSON.',
  OPENAPI_OPTIONS,
);

export async function runOpenApi(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(OPENAPI_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`openapi takes no arguments, got "${positionals[0]}" (use --out FILE)`);
  const text = JSON.stringify(createOpenApiDocument(VERSION), null, 2) + '\n';
  const out = values.out as string | undefined;
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
  return 0;
}
