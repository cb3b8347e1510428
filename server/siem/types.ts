// The SIEM mappings' public types: formats, what a mapping reads from a stored delivery, and
// the result callers get (index.ts re-exports them; the format files import them from here).
import type { SiemFieldRow, SiemFormatName, SiemMappingResponse } from '../common/protocol.ts';

/** Formats a delivery can be mapped to. */
export type SiemFormat = SiemFormatName;
export const SIEM_FORMATS: readonly SiemFormat[] = ['ocsf', 'ecs', 'cef', 'hec'];
/** What a transport can carry: the raw Soveren webhook body or one of the mappings. */
export type PayloadFormat = 'soveren' | SiemFormat;

/** What a mapping reads from a stored delivery. */
export interface SiemSource {
  id: number;
  /** ISO time of receipt: the fallback when the event has no valid `time`. */
  receivedAt: string;
  /** The exact bytes received. */
  body: Uint8Array;
  bodySha256: string;
}

export interface HecOptions {
  /** Payload carried in `event`: the raw Soveren JSON by default. */
  payload?: 'soveren' | 'ocsf' | 'ecs';
  index?: string;
  host?: string;
}

/** One source field -> target field pair, with the value written (the API's own type). */
export type FieldMapping = SiemFieldRow;

/**
 * A mapping as `GET /api/deliveries/:id/siem/:format` answers it (protocol.ts): the output,
 * the field table, what was left unmapped and where it sits (`unmapped` for OCSF,
 * `soveren.*` for ECS, `flexString1` for CEF, `event` for HEC), and notes on the mapping itself.
 */
export type SiemMapping = SiemMappingResponse;

/** A body that is not a JSON object cannot be mapped; `reason` says why. */
export type MapResult = { ok: true; mapping: SiemMapping } | { ok: false; reason: string };
