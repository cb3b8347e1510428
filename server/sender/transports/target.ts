// Delivery targets: the URL's scheme chooses the transport (Soveren webhook, Splunk HEC,
// Elasticsearch _bulk, syslog) and each transport has a default payload format. Pure.
import type { PayloadFormat } from '../../siem/index.ts';

export type TargetKind = 'http' | 'hec' | 'elastic' | 'syslog';
export type SyslogProtocol = 'tcp' | 'udp' | 'tls';
/** RFC 6587 3.4.1 octet counting (the default, and RFC 5425's only framing) or 3.4.2 LF. */
export type SyslogFraming = 'octet' | 'lf';

export type DeliveryTarget =
  | { kind: 'http'; url: string }
  /** `base`: the collector's http(s) origin. */
  | { kind: 'hec'; url: string; base: string }
  /** `base`: http(s) origin, user:password kept for basic auth; `index`: index or data stream. */
  | { kind: 'elastic'; url: string; base: string; index: string }
  | { kind: 'syslog'; url: string; protocol: SyslogProtocol; host: string; port: number; framing: SyslogFraming };

export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['soveren', 'ocsf', 'ecs', 'cef'];

/** What each transport carries when no --format is given. */
export const DEFAULT_FORMATS: Readonly<Record<TargetKind, PayloadFormat>> = { http: 'soveren', hec: 'soveren', elastic: 'ecs', syslog: 'cef' };

export const TARGET_FORMS = 'http(s)://host/path, hec+http(s)://host:port, elastic+http(s)://host:port/index or syslog+tcp|udp|tls://host:port';

/** Index and data stream names as Elasticsearch accepts them (lowercase, none of \ / * ? " < > | , # space, no leading - _ +). */
const INDEX_NAME = /^(?![-_+])(?!\.{1,2}$)[^A-Z\\/*?"<>|,# :]{1,255}$/;

/** The parsed target, or a one-sentence reason it is not one. */
export function parseTarget(raw: string): DeliveryTarget | { error: string } {
  if (raw.length > 2048) return { error: 'the URL is longer than 2048 characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `"${raw.slice(0, 80)}" is not a URL (expected ${TARGET_FORMS})` };
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', url: raw };
  const [family, inner] = scheme.split('+', 2) as [string, string | undefined];
  if (!url.hostname) return { error: `${scheme}:// needs a host and port` };
  if (family === 'hec' || family === 'elastic') {
    if (inner !== 'http' && inner !== 'https') return { error: `unsupported scheme "${scheme}:" (${family}+http or ${family}+https)` };
    const auth = url.username || url.password ? `${url.username}:${url.password}@` : '';
    const base = `${inner}://${family === 'elastic' ? auth : ''}${url.host}`;
    if (family === 'hec') {
      if (auth) return { error: 'hec+ targets take the token from --hec-token (SOVEREN_INSPECTOR_HEC_TOKEN), not from the URL' };
      return { kind: 'hec', url: raw, base };
    }
    const path = url.pathname.replace(/^\/+|\/+$/g, '');
    let index: string;
    try {
      index = decodeURIComponent(path);
    } catch {
      return { error: `"${path}" is not a valid index name` };
    }
    if (!index || !INDEX_NAME.test(index)) {
      return { error: 'elastic+ targets name one index or data stream as the path (lowercase, e.g. elastic+http://host:9200/soveren-events)' };
    }
    return { kind: 'elastic', url: raw, base, index };
  }
  if (family === 'syslog') {
    if (inner !== 'tcp' && inner !== 'udp' && inner !== 'tls') return { error: `unsupported scheme "${scheme}:" (syslog+tcp, syslog+udp or syslog+tls)` };
    if (!url.port) return { error: `${scheme}:// needs a port (e.g. ${scheme}://127.0.0.1:${inner === 'tls' ? 6514 : 514})` };
    const framing = url.searchParams.get('framing') ?? 'octet';
    if (framing !== 'octet' && framing !== 'lf') return { error: 'framing must be octet (RFC 6587 octet counting, the default) or lf' };
    if (framing === 'lf' && inner !== 'tcp') return { error: 'framing=lf is for syslog+tcp only (UDP sends one datagram per message; TLS uses octet counting, RFC 5425)' };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return { kind: 'syslog', url: raw, protocol: inner, host, port: Number(url.port), framing };
  }
  return { error: `unsupported scheme "${url.protocol}" (${TARGET_FORMS})` };
}

/** Why `raw` cannot be a delivery target, or null when it is one. */
export function describeBadDeliveryTarget(raw: string): string | null {
  const t = parseTarget(raw);
  return 'error' in t ? t.error : null;
}

/** Why `format` cannot travel to this kind of target, or null. */
export function describeFormatProblem(kind: TargetKind, format: PayloadFormat): string | null {
  if (!PAYLOAD_FORMATS.includes(format)) return `format must be one of ${PAYLOAD_FORMATS.join(', ')}`;
  if (kind === 'http' && format !== 'soveren') return 'http(s) targets get the Soveren webhook as received; a format applies to hec+, elastic+ and syslog+ targets';
  if (format === 'cef' && (kind === 'hec' || kind === 'elastic')) {
    return kind === 'hec'
      ? 'a Splunk HEC event is JSON: give soveren (the default), ocsf or ecs; CEF goes to syslog+ targets'
      : 'an Elasticsearch document is JSON: give ecs (the default), ocsf or soveren; CEF goes to syslog+ targets';
  }
  return null;
}

export function parsePayloadFormat(value: string): PayloadFormat | null {
  return (PAYLOAD_FORMATS as readonly string[]).includes(value) ? (value as PayloadFormat) : null;
}
