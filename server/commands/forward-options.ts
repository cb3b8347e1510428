// `serve`'s live-forwarding options (joined into its option table) -> ForwardConfig, and
// the start-up line that says where deliveries go and how they are signed (never the token).
import { UsageError, type OptionSpec, type OptionValues } from '../config.ts';
import type { TransportFormat } from '../common/protocol.ts';
import { DEFAULT_BATCH_MS } from '../sender/forward-batch.ts';
import type { ForwardConfig } from '../sender/forwarder.ts';
import { openRouteForCli, readSiemFlags, siemOptions } from './siem-options.ts';
import { redactUrl } from '../sender/target-url.ts';
import { parseTarget } from '../sender/transports/target.ts';

export const FORWARD_OPTIONS: readonly OptionSpec[] = [
  { flag: 'forward-to', kind: 'string', repeatable: true, help: 'Forward every accepted delivery as it arrives: to your connector (http(s)://) or straight into a SIEM (hec+http(s)://, elastic+http(s)://host/index, syslog+tcp|udp|tls://); switchable in the UI' },
  { flag: 'forward-token', kind: 'string', secret: true, help: 'Sign forwarded deliveries afresh with this token' },
  { flag: 'forward-keep-signature', kind: 'boolean', default: false, help: 'Forward the received x-soveren-signature header verbatim instead' },
  { flag: 'forward-fail-after', kind: 'duration', default: '15m', min: 1000, max: 7 * 24 * 3_600_000, help: 'A forward target is shown as failing after this long without a success (as Soveren does)' },
  { flag: 'forward-concurrency', kind: 'int', default: 2, min: 1, max: 64, help: 'Forwarded requests in flight per target (for a SIEM target: batches)' },
  { flag: 'forward-retries', kind: 'int', default: 0, min: 0, max: 10, help: 'Retries of a forward after network errors, 429 and 5xx (backoff with jitter)' },
  {
    flag: 'forward-batch-ms', kind: 'int', default: DEFAULT_BATCH_MS, min: 0, max: 10_000,
    help: 'SIEM targets get deliveries in batches (one HEC request, _bulk body or syslog write); a batch goes when full or when its first delivery has waited this long (ms)',
  },
  ...siemOptions('forward-'),
];

export function forwardConfigFrom(v: OptionValues): ForwardConfig {
  const targets = v['forward-to'] as string[];
  for (const t of targets) {
    const parsed = parseTarget(t);
    if ('error' in parsed) throw new UsageError(`--forward-to ${redactUrl(t)}: ${parsed.error}`);
    openRouteForCli('forward-to', t, v, 'forward-');
  }
  if (new Set(targets).size !== targets.length) throw new UsageError('--forward-to lists the same URL twice');
  const token = (v['forward-token'] as string | undefined) ?? null;
  if (token === '') throw new UsageError('--forward-token must not be empty');
  const keep = v['forward-keep-signature'] as boolean;
  if (token !== null && keep) throw new UsageError('--forward-token and --forward-keep-signature exclude each other');
  const { format, credentials } = readSiemFlags(v, 'forward-');
  return {
    ...(format !== undefined && { format: format as TransportFormat }), siem: credentials,
    targets, token, keepSignature: keep, failAfterMs: v['forward-fail-after'] as number,
    concurrency: v['forward-concurrency'] as number, retries: v['forward-retries'] as number, batchMs: v['forward-batch-ms'] as number,
  };
}

/** "forwarding: URL, URL (signed with --forward-token)", or null when nothing is forwarded. */
export function describeForwarding(config: ForwardConfig | undefined): string | null {
  if (!config || config.targets.length === 0) return null;
  const how = config.token !== null ? 'signed with --forward-token' : config.keepSignature ? 'received signature kept' : 'unsigned: give --forward-token or --forward-keep-signature to sign';
  const webhooks = config.targets.some((t) => /^https?:/i.test(t));
  const siem = config.targets.some((t) => !/^https?:/i.test(t)) ? `SIEM targets get ${config.format ?? 'their default format'}` : '';
  return `forwarding: ${config.targets.map(redactUrl).join(', ')} (${[webhooks ? how : '', siem].filter(Boolean).join('; ')})`;
}
