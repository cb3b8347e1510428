// The SIEM mappings' public types: formats, what a mapping reads from a stored delivery, and
// the result callers get (index.ts re-exports them; the format files import them from here).
import type { Finding } from '../common/protocol.ts';

/** Formats a delivery can be mapped to. */
export type SiemFormat = 'ocsf' | 'ecs' | 'cef' | 'hec';
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

/** One source field -> target field pair, with the value written. */
export interface FieldMapping {
  source: string;
  target: string;
  value: unknown;
}

export interface SiemMapping {
  format: SiemFormat;
  /** An object for OCSF, ECS and HEC; one line for CEF. */
  output: Record<string, unknown> | string;
  fields: FieldMapping[];
  /** Source fields the format has no field for (kept in its place for unmapped data). */
  unmapped: { source: string; value: unknown }[];
  /** Where the unmapped data sits in `output`: `unmapped` (OCSF), `soveren.*` (ECS), `flexString1` (CEF), `event` (HEC). */
  unmappedTarget: string;
  /** Notes about the mapping itself, e.g. that the time of receipt stood in for a missing `time`. */
  findings: Finding[];
}

/** A body that is not a JSON object cannot be mapped; `reason` says why. */
export type MapResult = { ok: true; mapping: SiemMapping } | { ok: false; reason: string };
