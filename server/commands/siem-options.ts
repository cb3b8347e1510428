// CLI options for SIEM targets, shared by `replay` (--format, --hec-token ...) and `serve`
// (the same with a forward- prefix), turned into a route whose errors name the flag. The
// secrets come from flags or SOVEREN_INSPECTOR_HEC_TOKEN / _ELASTIC_API_KEY and are never printed.
import { readFileSync } from 'node:fs';
import { UsageError, type OptionSpec, type OptionValues } from '../config.ts';
import type { PayloadFormat } from '../siem/index.ts';
import { openSiemRoute, RouteError, type SiemCredentials, type SiemRoute } from '../sender/transports/index.ts';
import { PAYLOAD_FORMATS, parseTarget } from '../sender/transports/target.ts';

export type SiemPrefix = '' | 'forward-';

export function siemOptions(prefix: SiemPrefix): OptionSpec[] {
  // serve's flags read the same variables as replay's, so one environment serves both.
  const env = (name: string) => (prefix ? { env: `SOVEREN_INSPECTOR_${name}` } : {});
  return [
    { flag: `${prefix}format`, kind: 'string', choices: PAYLOAD_FORMATS, help: 'Payload for SIEM targets: soveren, ocsf, ecs or cef (default: soveren in a hec+ event, ecs for elastic+, cef for syslog+)' },
    { flag: `${prefix}hec-token`, kind: 'string', secret: true, ...env('HEC_TOKEN'), help: 'Splunk HEC token for hec+http(s):// targets (sent as Authorization: Splunk <token>)' },
    { flag: `${prefix}hec-ack`, kind: 'boolean', default: false, help: 'Splunk indexer acknowledgement: send a channel and count a delivery only once /services/collector/ack confirms it' },
    { flag: `${prefix}hec-index`, kind: 'string', help: 'Splunk index named in each HEC event (default: the token\'s)' },
    { flag: `${prefix}elastic-api-key`, kind: 'string', secret: true, ...env('ELASTIC_API_KEY'), help: 'Elasticsearch API key (the encoded form) for elastic+http(s):// targets; or put user:password in the URL' },
    { flag: `${prefix}ca`, kind: 'string', ...env('CA'), help: 'PEM file of the CA that signed a syslog+tls:// collector\'s certificate (default: the system\'s CAs)' },
  ];
}

/** The credentials and format given on the command line (the CA file read now: a bad path is a usage error). */
export function readSiemFlags(v: OptionValues, prefix: SiemPrefix): { format: PayloadFormat | undefined; credentials: SiemCredentials } {
  const get = (name: string) => v[`${prefix}${name}`];
  for (const secret of ['hec-token', 'elastic-api-key']) {
    if (get(secret) === '') throw new UsageError(`--${prefix}${secret} must not be empty`);
  }
  const caFile = get('ca') as string | undefined;
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (err) {
      throw new UsageError(`--${prefix}ca ${caFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--${prefix}ca ${caFile}: not a PEM certificate file`);
  }
  const hecIndex = get('hec-index') as string | undefined;
  return {
    format: get('format') as PayloadFormat | undefined,
    credentials: {
      hecToken: (get('hec-token') as string | undefined) ?? null,
      hecAck: get('hec-ack') as boolean,
      ...(hecIndex !== undefined && { hecIndex }),
      elasticApiKey: (get('elastic-api-key') as string | undefined) ?? null,
      ...(ca && { ca }),
    },
  };
}

const FLAG_OF: Record<RouteError['field'], string> = { format: 'format', hecToken: 'hec-token', elasticApiKey: 'elastic-api-key', ca: 'ca' };

/** A checked target's route (null for http(s)); a problem becomes a UsageError naming the flag. */
export function openRouteForCli(flag: string, url: string, v: OptionValues, prefix: SiemPrefix): SiemRoute | null {
  const target = parseTarget(url);
  if ('error' in target) throw new UsageError(`--${flag}: ${target.error}`);
  const { format, credentials } = readSiemFlags(v, prefix);
  try {
    return openSiemRoute(target, format, credentials);
  } catch (err) {
    if (err instanceof RouteError) {
      const flagName = `${prefix}${FLAG_OF[err.field]}`;
      const hint = err.field === 'hecToken' ? ' (or set SOVEREN_INSPECTOR_HEC_TOKEN)' : '';
      throw new UsageError(`--${flagName}: ${err.message}${hint}`);
    }
    throw err;
  }
}
