// `send`: Soveren-faithful test events (all 29 types, a category, or chosen types) to a URL,
// optionally tampered (one or more variants, judged by the check's rules); one line per
// request, a summary per variant, exit 1 when the run did not pass.
import { formatHelp, parseOptions, UsageError, type OptionSpec } from '../config.ts';
import type { SendResult, SignatureVerdict, TamperKind } from '../common/protocol.ts';
import { judgeTamper } from '../check/tamper-judge.ts';
import { SIGNATURE_VERDICTS } from '../common/catalog.ts';
import { checkTarget, firstToken, parseRate, stopOnInterrupt } from './cli-support.ts';
import { createProgress } from './progress.ts';
import { formatMs, formatRequestLine, formatStatuses } from '../sender/report.ts';
import { resolveEventTypes, sendEvents, SendInputError, summarizeSend } from '../sender/send-events.ts';
import { TAMPER_CLAIMS, TAMPER_KINDS, tamperNeedsToken } from '../sender/soveren-request.ts';
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
  { flag: 'tamper', kind: 'string', repeatable: true, choices: [...TAMPER_KINDS, 'all'], help: 'Send faulty variants, judged by the rules of `check`: body (changed after signing), signature (another token), missing-signature (each must get 401/403), malformed-json (signed; must get a 4xx), user-agent (only noted); `all` sends every variant' },
  { flag: 'quiet', kind: 'boolean', default: false, short: 'q', help: 'Print the summary only' },
];

export const SEND_HELP = formatHelp(
  'soveren-inspector send [--to URL] [--token T] (--all | --type T... | --category C) [options]',
  `Send test events exactly as Soveren does: POST, Content-Type: application/json,
User-Agent: SoverenWebhook/1.0 and, with a token, x-soveren-signature: sha256=<hex>.
Exit 0 when every answer was 2xx (with --tamper: when every variant got the answer the
check's rules expect; a wrong User-Agent is only noted), 1 otherwise, 2 for bad usage.`,
  SEND_OPTIONS,
);

const MAX_REQUESTS = 1_000_000;

/** The variants asked for, in the documented order; `all` is every one. */
function readTampers(given: readonly string[]): TamperKind[] {
  if (given.includes('all')) return [...TAMPER_KINDS];
  return TAMPER_KINDS.filter((k) => given.includes(k));
}

/** The receiver's signature verdict from its answer (this inspector's receiver says it in JSON). */
function receiverVerdict(body: string | null): SignatureVerdict | null {
  if (body === null) return null;
  try {
    const v = (JSON.parse(body) as { signature?: unknown }).signature;
    return typeof v === 'string' && (SIGNATURE_VERDICTS as readonly string[]).includes(v) ? (v as SignatureVerdict) : null;
  } catch {
    return null;
  }
}

export async function runSend(argv: readonly string[]): Promise<number> {
  const { values: v, positionals } = parseOptions(SEND_OPTIONS, argv);
  if (positionals.length > 0) throw new UsageError(`send takes no arguments, got "${positionals[0]}" (a target goes after --to)`);
  const to = checkTarget('to', v.to as string);
  const token = firstToken(v.token as string[]);
  const tampers = readTampers(v.tamper as string[]);
  let selection;
  try {
    selection = resolveEventTypes({ types: v.type as string[], ...(v.category !== undefined && { category: v.category as string }), all: v.all as boolean });
  } catch (err) {
    if (!(err instanceof SendInputError)) throw err;
    if (err.field === 'type' && (v.type as string[]).length === 0) throw new UsageError('choose what to send: --all, --type T (repeatable) or --category C');
    if (err.field === 'all') throw new UsageError('--all cannot be combined with --type or --category');
    throw new UsageError(`--${err.field}: ${err.message}`);
  }
  const needToken = tampers.filter(tamperNeedsToken);
  if (needToken.length > 0 && token === null) {
    throw new UsageError(`--tamper ${needToken.join(', ')} needs --token: without a token no receiver checks a signature`);
  }
  const count = v.count as number;
  const runs: (TamperKind | null)[] = tampers.length > 0 ? tampers : [null];
  const perRun = selection.types.length * count;
  const total = perRun * runs.length;
  if (total > MAX_REQUESTS) throw new UsageError(`--count: ${runs.length > 1 ? `${runs.length} variants × ` : ''}${selection.types.length} types × ${count} = ${total} requests, at most ${MAX_REQUESTS}`);
  const ratePerSec = parseRate(v.rate as string | undefined);
  const seed = (v.seed as number | undefined) ?? Math.floor(Math.random() * 2 ** 32);
  const quiet = v.quiet as boolean;
  const warnings = selection.unknown.map((t) => `--type ${t} is not a documented Soveren event type; sending a generic event (forward compatibility)`);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  const shownTarget = redactUrl(to);
  const progress = createProgress({ total, label: 'send' });
  const stop = stopOnInterrupt('sending');
  const verdicts = new Map<SignatureVerdict, number>();
  const done: { tamper: TamperKind | null; results: SendResult[] }[] = [];
  try {
    for (const [run, tamper] of runs.entries()) {
      if (stop.signal.aborted) break;
      const results = await sendEvents({
        to, token, types: selection.types, count, seed, categoryForm: v['category-form'] as CategoryForm, tamper,
        concurrency: v.concurrency as number, ratePerSec, timeoutMs: v.timeout as number, signal: stop.signal,
        onResult(r, out) {
          progress.tick();
          const verdict = r.deliveryId === null ? null : receiverVerdict(out.responseBody);
          if (verdict !== null) verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
          if (quiet) return;
          const judged = tamper === null ? null : judgeTamper(tamper, out);
          const note = judged === null ? undefined : judged.outcome === 'pass' ? 'as expected' : judged.outcome === 'info' ? 'noted' : 'MISMATCH';
          const label = tamper === null ? r.eventType : `${tamper} ${r.eventType}`;
          progress.line(formatRequestLine({ index: run * perRun + r.index, total, status: r.status, durationMs: r.durationMs, label, error: r.ok ? null : r.error, ...(note && { note }) }));
        },
      });
      done.push({ tamper, results });
    }
  } finally {
    progress.done();
    stop.dispose();
  }

  const lines: string[] = [];
  const sentCount = done.reduce((n, d) => n + d.results.length, 0);
  if (sentCount < total) lines.push(`stopped after ${sentCount} of ${total} requests`);
  let passed = sentCount === total;
  if (tampers.length === 0) {
    const results = done[0]?.results ?? [];
    const s = summarizeSend(results, { target: shownTarget, signed: token !== null, seed, tamper: null, warnings });
    lines.push(`sent ${s.sent} to ${shownTarget} (${s.signed ? 'signed' : 'unsigned'}, seed ${seed}): ${s.ok} ok, ${s.failed} failed; statuses ${formatStatuses(s.statuses)}; latency p50 ${formatMs(s.p50Ms)}, p99 ${formatMs(s.p99Ms)}`);
    if (!s.passed) lines.push(`FAILED: ${s.failed} request(s) got no 2xx answer`);
    passed &&= s.passed;
    // Every answer 401 and nothing signed: the receiver has a token and we did not use one.
    if (token === null && s.sent > 0 && (s.statuses['401'] ?? 0) === s.sent) {
      lines.push('hint: every request was answered 401 and none was signed; the receiver verifies signatures: give its token with --token (or SOVEREN_WEBHOOK_TOKEN)');
    }
  } else {
    lines.push(`tampered variants to ${shownTarget} (${token !== null ? 'signed' : 'unsigned'}, seed ${seed}), judged by the rules of \`check\`:`);
    const width = Math.max(...done.map((d) => d.tamper!.length));
    for (const d of done) {
      const tamper = d.tamper!;
      const s = summarizeSend(d.results, { target: shownTarget, signed: token !== null, seed, tamper, warnings });
      const outcome = tamper === 'user-agent' ? 'noted (informational)' : s.passed ? 'ok' : `MISMATCH (${s.mismatches} of ${s.sent})`;
      lines.push(`  ${tamper.padEnd(width)}  expected ${s.expected!.padEnd(10)}  got ${formatStatuses(s.statuses).padEnd(16)}  ${outcome}`);
      if (!s.passed) {
        const first = d.results.map((r) => judgeTamper(tamper, r)).find((j) => j.outcome === 'fail');
        if (first?.reason) lines.push(`    ${first.reason}`);
      }
      passed &&= s.passed;
    }
    const bad = done.filter((d) => !summarizeSend(d.results, { target: shownTarget, signed: token !== null, seed, tamper: d.tamper, warnings }).passed);
    if (bad.length > 0) lines.push(`FAILED: ${bad.map((d) => d.tamper).join(', ')} did not get the expected answer (${TAMPER_CLAIMS[bad[0]!.tamper!]})`);
  }
  // This inspector's receiver says what it concluded: named with the same verdict words as the UI and API.
  if (verdicts.size > 0) {
    lines.push(`receiver verdicts: ${[...verdicts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `signature ${k}×${n}`).join(', ')}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return passed ? 0 : 1;
}
