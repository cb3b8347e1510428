// A parsed SIEM target plus its credentials -> the transport and payload it uses (a "route").
// The one place that knows which transport a scheme means; http(s) stays the webhook path.
import type { PayloadFormat } from '../../siem/index.ts';
import { createElasticTransport } from './elastic.ts';
import { createHecTransport } from './hec.ts';
import type { RenderOptions } from './render.ts';
import { createSyslogTransport } from './syslog.ts';
import { DEFAULT_FORMATS, describeFormatProblem, type DeliveryTarget } from './target.ts';
import type { Transport } from './types.ts';

/** Secrets and settings a SIEM transport may need; never stored, printed or echoed. */
export interface SiemCredentials {
  hecToken?: string | null;
  hecAck?: boolean;
  hecIndex?: string;
  elasticApiKey?: string | null;
  /** PEM CA for syslog+tls (--ca). */
  ca?: Buffer;
  /** Longest wait for a HEC acknowledgement. */
  ackTimeoutMs?: number;
}

export interface SiemRoute {
  transport: Transport;
  render: RenderOptions;
}

/** Which credential a problem is about: the CLI names the flag, the API the field. */
export class RouteError extends Error {
  constructor(readonly field: 'format' | 'hecToken' | 'elasticApiKey' | 'ca', message: string) {
    super(message);
  }
}

/**
 * What a target carries under these settings, checked without opening anything: null for
 * http(s) targets (the webhook path), else the payload it renders; a RouteError thrown for a
 * problem. Live forwarding checks here and opens the transport on its own thread (siem-thread.ts).
 */
export function planSiemRoute(target: DeliveryTarget, format: PayloadFormat | undefined, c: SiemCredentials): RenderOptions | null {
  const chosen = format ?? DEFAULT_FORMATS[target.kind];
  const problem = describeFormatProblem(target.kind, chosen);
  if (problem) throw new RouteError('format', problem);
  switch (target.kind) {
    case 'http':
      return null;
    case 'hec':
      if (!c.hecToken) throw new RouteError('hecToken', 'a hec+ target needs a Splunk HEC token');
      return { kind: 'hec', format: chosen, ...(c.hecIndex !== undefined && { hecIndex: c.hecIndex }) };
    case 'elastic':
      return { kind: 'elastic', format: chosen };
    case 'syslog':
      if (c.ca && target.protocol !== 'tls') throw new RouteError('ca', 'a CA file is for syslog+tls targets only');
      return { kind: 'syslog', format: chosen };
  }
}

/** null for http(s) targets (the webhook path); a route, or a RouteError thrown, otherwise. */
export function openSiemRoute(target: DeliveryTarget, format: PayloadFormat | undefined, c: SiemCredentials): SiemRoute | null {
  const render = planSiemRoute(target, format, c);
  if (render === null || target.kind === 'http') return null;
  switch (target.kind) {
    case 'hec':
      return { transport: createHecTransport({ base: target.base, token: c.hecToken!, ack: c.hecAck ?? false, ...(c.ackTimeoutMs !== undefined && { ackTimeoutMs: c.ackTimeoutMs }) }), render };
    case 'elastic':
      return { transport: createElasticTransport({ base: target.base, index: target.index, apiKey: c.elasticApiKey ?? null }), render };
    case 'syslog':
      return { transport: createSyslogTransport({ protocol: target.protocol, host: target.host, port: target.port, framing: target.framing, ...(c.ca && { ca: c.ca }) }), render };
  }
}
