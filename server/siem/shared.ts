// Types and constants the per-format mappings share (kept apart from index.ts so the format
// files do not import the entry point that imports them).
import type { FieldMapping, SiemSource } from './types.ts';
import type { Leftover } from './fields.ts';
import type { EventFacts, EventObject } from './source.ts';

export interface MapInput {
  event: EventObject;
  /** The body as text (valid UTF-8, a JSON object). */
  text: string;
  facts: EventFacts;
  source: SiemSource;
}

/** One format's result before the entry point shapes it for callers. */
export interface Mapped {
  output: Record<string, unknown> | string;
  fields: FieldMapping[];
  leftovers: Leftover[];
  /** Where the leftovers went in the output, for the UI ("unmapped", "soveren.*", ...). */
  unmappedTarget: string;
}

/** OCSF detection_system_id 12 (https://schema.ocsf.io/1.8.0/objects/data_security). */
export const DSPM = { id: 12, name: 'Data Security Posture Management' } as const;

/** Same scale in OCSF severity_id and ECS event.severity: High 4, Medium 3, Low 2. */
export const SEVERITY_ID = { High: 4, Medium: 3, Low: 2 } as const;
