// `schema`: print one JSON document holding a JSON Schema (draft 2020-12) for the envelope of
// a Soveren webhook event and one per documented event type (event_type pinned with const),
// for integrators to validate against or generate types from.
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import { buildSchemaDocument } from '../soveren/schema.ts';

export const SCHEMA_OPTIONS: readonly OptionSpec[] = [];

export const SCHEMA_HELP = formatHelp(
  'soveren-inspector schema > soveren-events.schema.json',
  'Print JSON Schemas (draft 2020-12) of Soveren webhook events as one JSON document:\n{ "envelope": <any event>, "eventTypes": { "<event_type>": <schema>, ... } }. Unknown fields are allowed.',
  SCHEMA_OPTIONS,
);

export async function runSchema(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { positionals } = parseOptions(SCHEMA_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`schema takes no arguments, got "${positionals[0]}"`);
  out.write(JSON.stringify(buildSchemaDocument(), null, 2) + '\n');
  return 0;
}
