// The SIEM mappings' one entry point: a stored delivery -> OCSF, ECS, CEF or a Splunk HEC
// envelope. Pure (no I/O); the UI, export, replay, forward and the end-to-end check all
// call mapDelivery, so every consumer sees the same mapping.
import type { Finding } from '../shared/protocol.ts';

/** Formats a delivery can be mapped to. */
export type SiemFormat = 'ocsf' | 'ecs' | 'cef' | 'hec';
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
  findings: Finding[];
}

/** A body that is not a JSON object cannot be mapped; `reason` says why. */
export type MapResult = { ok: true; mapping: SiemMapping } | { ok: false; reason: string };

export function mapDelivery(format: SiemFormat, source: SiemSource, hec: HecOptions = {}): MapResult {
  void format;
  void source;
  void hec;
  // Placeholder interface: the mapping modules land with issue #13.
  return { ok: false, reason: 'SIEM mappings are not built yet' };
}
