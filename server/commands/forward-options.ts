// `serve`'s live-forwarding options (joined into its option table) -> ForwardConfig, and
// the start-up line that says where deliveries go and how they are signed (never the token).
import { UsageError, type OptionSpec, type OptionValues } from '../config.ts';
import type { ForwardConfig } from '../sender/forwarder.ts';
import { describeBadTarget, redactUrl } from '../sender/target-url.ts';

export const FORWARD_OPTIONS: readonly OptionSpec[] = [
  { flag: 'forward-to', kind: 'string', repeatable: true, help: 'Forward every accepted delivery to this URL as it arrives (your connector); switchable in the UI' },
  { flag: 'forward-token', kind: 'string', secret: true, help: 'Sign forwarded deliveries afresh with this token' },
  { flag: 'forward-keep-signature', kind: 'boolean', default: false, help: 'Forward the received x-soveren-signature header verbatim instead' },
  { flag: 'forward-fail-after', kind: 'duration', default: '15m', min: 1000, max: 7 * 24 * 3_600_000, help: 'A forward target is shown as failing after this long without a success (as Soveren does)' },
  { flag: 'forward-concurrency', kind: 'int', default: 2, min: 1, max: 64, help: 'Forwarded requests in flight per target' },
  { flag: 'forward-retries', kind: 'int', default: 0, min: 0, max: 10, help: 'Retries of a forward after network errors, 429 and 5xx (backoff with jitter)' },
];

export function forwardConfigFrom(v: OptionValues): ForwardConfig {
  const targets = v['forward-to'] as string[];
  for (const t of targets) {
    const problem = describeBadTarget(t);
    if (problem) throw new UsageError(`--forward-to ${redactUrl(t)}: ${problem}`);
  }
  if (new Set(targets).size !== targets.length) throw new UsageError('--forward-to lists the same URL twice');
  const token = (v['forward-token'] as string | undefined) ?? null;
  if (token === '') throw new UsageError('--forward-token must not be empty');
  const keep = v['forward-keep-signature'] as boolean;
  if (token !== null && keep) throw new UsageError('--forward-token and --forward-keep-signature exclude each other');
  return {
    targets, token, keepSignature: keep, failAfterMs: v['forward-fail-after'] as number,
    concurrency: v['forward-concurrency'] as number, retries: v['forward-retries'] as number,
  };
}

/** "forwarding: URL, URL (signed with --forward-token)", or null when nothing is forwarded. */
export function describeForwarding(config: ForwardConfig | undefined): string | null {
  if (!config || config.targets.length === 0) return null;
  const how = config.token !== null ? 'signed with --forward-token' : config.keepSignature ? 'received signature kept' : 'unsigned: give --forward-token or --forward-keep-signature to sign';
  return `forwarding: ${config.targets.map(redactUrl).join(', ')} (${how})`;
}
