// The SIEM mappings' one entry point: a stored delivery -> OCSF, ECS, CEF or a Splunk HEC
// envelope. Pure (no I/O); the UI, export, replay, forward and the end-to-end check all
// call mapDelivery, so every consumer sees the same mapping.
import { mapCef } from './cef.ts';
import { mapEcs } from './ecs.ts';
import { mapHec } from './hec.ts';
import { mapOcsf } from './ocsf.ts';
import type { MapInput, Mapped } from './shared.ts';
import { parseEventBody, readFacts, type EventObject } from './source.ts';
import type { HecOptions, MapResult, SiemFormat, SiemSource } from './types.ts';

export { SIEM_FORMATS } from './types.ts';
export { parseEventBody } from './source.ts';
export type { FieldMapping, HecOptions, MapResult, PayloadFormat, SiemFormat, SiemMapping, SiemSource } from './types.ts';

const MAPPERS: Record<Exclude<SiemFormat, 'hec'>, (input: MapInput) => Mapped> = { ocsf: mapOcsf, ecs: mapEcs, cef: mapCef };

/** One delivery in one format. Deterministic: the same delivery always maps to the same output. */
export function mapDelivery(format: SiemFormat, source: SiemSource, hec: HecOptions = {}): MapResult {
  const parsed = parseEventBody(source.body);
  if (!parsed.ok) return parsed;
  return mapParsedDelivery(format, source, parsed, hec);
}

/** mapDelivery for a body its caller already parsed with parseEventBody (live forwarding reads it too): not parsed twice. */
export function mapParsedDelivery(format: SiemFormat, source: SiemSource, parsed: { event: EventObject; text: string }, hec: HecOptions = {}): MapResult & { ok: true } {
  const facts = readFacts(parsed.event, source.receivedAt, source.bodySha256);
  const input: MapInput = { event: parsed.event, text: parsed.text, facts, source };
  const mapped = format === 'hec' ? mapHec(input, hec) : MAPPERS[format](input);
  return {
    ok: true,
    mapping: {
      format,
      output: mapped.output,
      fields: mapped.fields,
      unmapped: mapped.leftovers.map(({ source: path, value }) => ({ source: path, value })),
      unmappedTarget: mapped.unmappedTarget,
      findings: facts.findings,
    },
  };
}
