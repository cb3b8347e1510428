// Schemas of the reference answers, GET /api/coverage and GET /api/event-types, each checked
// at compile time to describe exactly its protocol.ts type (as entities.ts does for the rest).
import { z } from '@hono/zod-openapi';
import type * as P from '../protocol.ts';
import type { Same } from './entities.ts';

type Expect<T extends true> = T;

const Cell = z.object({
  count: z.number().int(),
  query: z.string().describe('the search (`q`) that lists these deliveries'),
}).openapi('CoverageCell');
const Outcomes = z.object({ ok: Cell, failed: Cell }).openapi('CoverageOutcomes');

export const CoverageRow = z.object({
  eventType: z.string(),
  category: z.string().describe('category facet: the documented one, or the facet an unknown type arrived with'),
  known: z.boolean().describe('one of the 29 documented types'),
  received: Cell.describe('every stored delivery of this type'),
  real: Cell.describe('from a real sender: user agent ok, signature valid or unchecked, not made by the built-in sender'),
  sent: Cell.describe('made by the built-in sender'),
  targets: z.array(z.object({ target: z.string(), replay: Outcomes, forward: Outcomes }))
    .describe('replay and forward attempts per target, in `targets` order (attempts, not deliveries)'),
  check: z.object({ runId: z.number().int(), outcome: z.enum(['pass', 'fail', 'info']), got: z.string() }).nullable()
    .describe("this type's scenario in the latest finished check run"),
  siem: z.object({ any: Cell, sinks: z.array(z.object({ sink: z.string(), reached: Cell })) })
    .describe('deliveries of this type whose outputs reached a SIEM sink: any sink, then per sink in `sinks` order'),
}).openapi('CoverageRow');

export const Coverage = z.object({
  targets: z.array(z.string()).describe('every replay / forward target seen in attempts (credentials removed), sorted'),
  lastCheck: z.object({ id: z.number().int(), url: z.string(), state: z.string(), finishedAt: z.string().nullable() }).nullable(),
  sinks: z.array(z.string()).describe('SIEM sinks that received outputs linked to deliveries, sorted'),
  categories: z.array(z.object({
    facet: z.string(),
    label: z.string().describe('display form ("Data at risk"), or the facet itself for an unknown category'),
    rows: z.array(CoverageRow),
  })),
}).openapi('Coverage');

export const EventTypeReference = z.object({
  eventType: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  description: z.string().describe('one line'),
  titleTemplates: z.array(z.string()).describe('how its `title` reads; `{placeholder}` marks a value from the event'),
  templateDocumented: z.boolean().describe("the templates are quoted from Soveren's docs (otherwise modelled on them)"),
  fields: z.array(z.object({
    name: z.string(),
    type: z.string().describe('JSON type: string, number, boolean, string[], object, object[]'),
    always: z.boolean().describe('present in every event of this type the built-in sender makes'),
    example: z.unknown(),
  })),
  example: z.record(z.string(), z.unknown()).describe('a whole event of this type, as the built-in sender makes it'),
}).openapi('EventTypeReference');

export const EventTypeList = z.object({ items: z.array(EventTypeReference) }).openapi('EventTypeList');

/** Compile-time proof that each schema describes exactly its protocol.ts type. */
export type ReferenceSchemasMatchProtocol = [
  Expect<Same<z.infer<typeof Coverage>, P.Coverage>>,
  Expect<Same<z.infer<typeof EventTypeReference>, P.EventTypeReference>>,
];
