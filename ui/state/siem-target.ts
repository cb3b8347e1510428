// SIEM targets in the replay and forwarding forms: which transport a URL's scheme picks, the
// payload formats it can carry (its default first), and the credentials it needs, turned
// into the API's body fields. Secrets only ever go into a JSON request body. Pure.
import type { TransportFormat } from '../../server/common/protocol.ts';
import type { SiemTargetOptions } from '../../server/common/contract/client-type.ts';

export type TargetKind = 'http' | 'hec' | 'elastic' | 'syslog';
export type SiemKind = Exclude<TargetKind, 'http'>;

/** The transport a target URL's scheme chooses, or null when it is none of them. */
export function targetKind(raw: string): TargetKind | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw.trim())?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'http';
  if (scheme === 'hec+http' || scheme === 'hec+https') return 'hec';
  if (scheme === 'elastic+http' || scheme === 'elastic+https') return 'elastic';
  if (scheme === 'syslog+tcp' || scheme === 'syslog+udp' || scheme === 'syslog+tls') return 'syslog';
  return null;
}

export const TRANSPORT_LABELS: Record<SiemKind, string> = {
  hec: 'Splunk HTTP Event Collector',
  elastic: 'Elasticsearch _bulk',
  syslog: 'syslog (RFC 5424)',
};

const LABELS: Record<TransportFormat, string> = { soveren: 'Soveren JSON', ocsf: 'OCSF', ecs: 'ECS', cef: 'CEF' };

/** Formats each transport carries, its default first (as the server applies them). */
export const FORMATS_BY_KIND: Record<SiemKind, readonly TransportFormat[]> = {
  hec: ['soveren', 'ocsf', 'ecs'],
  elastic: ['ecs', 'ocsf', 'soveren'],
  syslog: ['cef', 'soveren', 'ocsf', 'ecs'],
};

export function formatLabel(format: TransportFormat): string {
  return LABELS[format];
}

export interface SiemInput {
  /** '' means the target's default. */
  format: TransportFormat | '';
  hecToken: string;
  hecAck: boolean;
  elasticApiKey: string;
}

export const EMPTY_SIEM_INPUT: SiemInput = { format: '', hecToken: '', hecAck: false, elasticApiKey: '' };

/** What is wrong (one sentence), or null. `tokenHeld`: the server already holds one (forwarding). */
export function describeBadSiem(kind: TargetKind | null, input: SiemInput, tokenHeld = false): string | null {
  if (kind === 'hec' && input.hecToken === '' && !tokenHeld) return 'Enter the Splunk HEC token: Splunk refuses events without one.';
  if (input.hecToken.length > 4096 || input.elasticApiKey.length > 4096) return 'The token or key is longer than 4096 characters.';
  if (kind !== null && kind !== 'http' && input.format !== '' && !FORMATS_BY_KIND[kind].includes(input.format)) {
    return `${TRANSPORT_LABELS[kind]} does not carry ${formatLabel(input.format)}.`;
  }
  return null;
}

/** The request fields for this kind of target (nothing for http: signing applies there). */
export function siemFields(kind: TargetKind | null, input: SiemInput): SiemTargetOptions {
  if (kind === null || kind === 'http') return {};
  return {
    ...(input.format !== '' && { format: input.format }),
    ...(kind === 'hec' && input.hecToken !== '' && { hecToken: input.hecToken }),
    ...(kind === 'hec' && input.hecAck && { hecAck: true }),
    ...(kind === 'elastic' && input.elasticApiKey !== '' && { elasticApiKey: input.elasticApiKey }),
  };
}
