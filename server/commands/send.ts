// `send`: Soveren-faithful test events (all 29 types, a category, or chosen types) to a URL,
// optionally tampered; one line per request, a summary, exit 1 when the run did not pass.
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import type { SendResult, TamperKind } from '../shared/protocol.ts';
import { checkTarget, firstToken, parseRate, stopOnInterrupt } from './cli-support.ts';
import { createProgress } from './progress.ts';
import { formatMs, formatRequestLine, formatStatuses } from '../sender/report.ts';
import { resolveEventTypes, sendEvents, SendInputError, summarizeSend } from '../sender/send-events.ts';
import { TAMPER_CLAIMS, TAMPER_KINDS } from '../sender/soveren-request.ts';
import { redactUrl } from '../sender/target-url.ts';
import type { CategoryForm } from '../soveren/events.ts';

export const SEND_OPTIONS: readonly OptionSpec[] = [
  { flag: 'to', kind: 'string', default: 'http://127.0.0.1:4781/', help: "Where to send; the default is this inspector's own receiver" },
  { flag: 'token', kind: 'string', repeatable: true, env: 'SOVEREN_WEBHOOK_TOKEN', secret: true, help: 'Webhook token: each body is signed as x-soveren-signature (the first one is used)' },
  { flag: 'type', kind: 'string', repeatable: true, help: 'Event type to send; undocumented types are sent too, with a warning (forward compatibility)' },
  { flag: 'category', kind: 'string', help: 'Every event type of a category, named in any form ("Data at risk", data_at_risk, "Policy violation", ...)' },
  { flag: 'all', kind: 'boolean', default: false, help: 'Every one of the 29 documented event types' },
  { flag: 'count', kind: 'int', default: 1, min: 1, max: 100_000, help: 'Rounds: each chosen type is sent this many times' },
  { flag: 'seed', kind: 'int', min: 0, max: 4_294_967_295, help: 'Seed of the event contents (same seed, same events); random when omitted' },
  { flag: 'category-form', kind: 'string', default: 'display', choices: ['display', 'slug', 'legacy'], help: 'How `category` is written: "Data at risk", data_at_risk, or the older "Policy violation"' },
  { flag: 'rate', kind: 'string', help: 'At most this many requests per second (0.5 allowed); unlimited when omitted' },
  { flag: 'concurrency', kind: 'int', default: 1, min: 1, max: 256, help: 'Requests in flight at once' },
  { flag: 'timeout', kind: 'duration', default: '10s', min: 100, max: 600_000, help: 'Per-request timeout' },
  { flag: 'tamper', kind: 'string', choices: TAMPER_KINDS, help: 'Send faulty deliveries a receiver must refuse: body (changed after signing), signature (another token), missing-signature, user-agent, malformed-json (signed)' },
  { flag: 'quiet', kind: 'boolean', default: false, short: 'q', help: 'Print the summary only' },
];

export const SEND_HELP = formatHelp(
  'soveren-inspector send [--to URL] [--token T] (--all | --type T... | --category C) [options]',
  `Send test events exactly as Soveren does: POST, Content-Type: application/json,
User-Agent: SoverenWebhook/1.0 and, with a token, x-soveren-signature: sha256=<hex>.
Exit 0 when every answer was 2xx (with --tamper: when no tampered delivery was accepted),
1 otherwise, 2 for bad usage.`,
  SEND_OPTIONS,
);

const MAX_REQUESTS = 1_000_000;

export async function runSend(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseOptions(SEND_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`send takes no arguments, got "${positionals[0]}" (a target goes after --to)`);
  const to = checkTarget('to', v.to as string);
  const token = firstToken(v.token as string[]);
  const tamper = (v.tamper as TamperKind | undefined) ?? null;
  let selection;
  try {
    selection = resolveEventTypes({ types: v.type as string[], ...(v.category !== undefined && { category: v.category as string }), all: v.all as boolean });
  } catch (err) {
    if (!(err instanceof SendInputError)) throw err;
    if (err.field === 'type' && (v.type as string[]).length === 0) throw new UsageError('choose what to send: --all, --type T (repeatable) or --category C');
    if (err.field === 'all') throw new UsageError('--all cannot be combined with --type or --category');
    throw new UsageError(`--${err.field}: ${err.message}`);
  }
  if (tamper !== null && ['body', 'signature', 'missing-signature'].includes(tamper) && token === null) {
    throw new UsageError(`--tamper ${tamper} needs --token: without a token no receiver checks a signature`);
  }
  const count = v.count as number;
  const total = selection.types.length * count;
  if (total > MAX_REQUESTS) throw new UsageError(`--count: ${selection.types.length} types × ${count} = ${total} requests, at most ${MAX_REQUESTS}`);
  const ratePerSec = parseRate(v.rate as string | undefined);
  const seed = (v.seed as number | undefined) ?? Math.floor(Math.random() * 2 ** 32);
  const quiet = v.quiet as boolean;
  const warnings = selection.unknown.map((t) => `--type ${t} is not a documented Soveren event type; sending a generic event (forward compatibility)`);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  const shownTarget = redactUrl(to);
  const progress = createProgress({ total, label: 'send' });
  const stop = stopOnInterrupt('sending');
  let results: SendResult[];
  try {
    results = await sendEvents({
      to, token, types: selection.types, count, seed, categoryForm: v['category-form'] as CategoryForm, tamper,
      concurrency: v.concurrency as number, ratePerSec, timeoutMs: v.timeout as number, signal: stop.signal,
      onResult(r) {
        progress.tick();
        if (quiet) return;
        const note = tamper === null ? undefined : r.ok ? 'ACCEPTED' : r.status !== null ? 'refused as expected' : undefined;
        progress.line(formatRequestLine({ index: r.index, total, status: r.status, durationMs: r.durationMs, label: r.eventType, error: r.ok ? null : r.error, ...(note && { note }) }));
      },
    });
  } finally {
    progress.done();
    stop.dispose();
  }

  const s = summarizeSend(results, { target: shownTarget, signed: token !== null, seed, tamper, warnings });
  const how = `${s.signed ? 'signed' : 'unsigned'}, seed ${seed}`;
  const latency = `latency p50 ${formatMs(s.p50Ms)}, p99 ${formatMs(s.p99Ms)}`;
  const lines: string[] = [];
  if (results.length < total) lines.push(`stopped after ${results.length} of ${total} requests`);
  if (tamper === null) {
    lines.push(`sent ${s.sent} to ${shownTarget} (${how}): ${s.ok} ok, ${s.failed} failed; statuses ${formatStatuses(s.statuses)}; ${latency}`);
    if (!s.passed) lines.push(`FAILED: ${s.failed} request(s) got no 2xx answer`);
    // Every answer 401 and nothing signed: the receiver has a token and we did not use one.
    if (token === null && s.sent > 0 && (s.statuses['401'] ?? 0) === s.sent) {
      lines.push('hint: every request was answered 401 and none was signed; the receiver verifies signatures: give its token with --token (or SOVEREN_WEBHOOK_TOKEN)');
    }
  } else {
    const refused = s.sent - s.ok - (s.statuses.error ?? 0);
    lines.push(`tamper ${tamper} (${TAMPER_CLAIMS[tamper]}): sent ${s.sent} to ${shownTarget} (${how})`);
    lines.push(`  ${refused} refused as expected, ${s.acceptedTampered} ACCEPTED, ${s.statuses.error ?? 0} without an answer; statuses ${formatStatuses(s.statuses)}; ${latency}`);
    if (s.acceptedTampered > 0) lines.push(`FAILED: ${s.acceptedTampered} tampered deliveries were ACCEPTED (2xx); a receiver must refuse them`);
    else if (!s.passed) lines.push('FAILED: some requests got no answer at all');
  }
  process.stdout.write(lines.join('\n') + '\n');
  return s.passed && results.length === total ? 0 : 1;
}
