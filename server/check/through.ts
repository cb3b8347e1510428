// `check --through`: what came out of the connector into the SIEM sinks, judged against what
// the check sent. Reached: every accepted valid event arrives exactly once. Forged: no event
// of a refused (badly signed) delivery arrives. Mapped: each arrival keeps title, event type,
// category, event link and time (±1 s), and severity is kept as text or as a number that
// orders High > Medium > Low. Latency: p50 and p99 from the delivery (request sent) to the sink.
import type { CheckLatency, CheckResult, CheckScenarioInfo, SinkKind } from '../common/protocol.ts';
import type { NewOutput } from '../store/outputs.ts';
import type { OutputIngest } from '../sink/output-ingest.ts';
import type { SentEvent } from './sent-log.ts';

/** An in-memory stand-in for the outputs store: `check` keeps what its own sinks received. */
export function createOutputCollector() {
  const received: NewOutput[] = [];
  const ingest: OutputIngest = {
    submit(items) {
      for (const o of items) received.push(o); // not push(...items): a request may hold more items than a call takes arguments
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
    pending: 0,
  };
  return { ingest, received };
}

type Arrival = { output: NewOutput; text: string };

/**
 * Whether an item landed in the SIEM: the sink stores refused items too (an Elasticsearch
 * `create` of an id that exists gets 409 and its summary says so), but those are not arrivals,
 * so a connector that retries a create with the same id is not counted twice.
 */
const landed = (o: NewOutput, sink: SinkKind) => o.sink === sink && o.summary.answer === undefined;

/** The SIEM results a `--through` run adds after the scenarios, as listed before it runs. */
export const SIEM_SCENARIOS: readonly CheckScenarioInfo[] = [
  { id: 'siem-reached', name: 'every accepted event reaches the SIEM exactly once', group: 'siem', required: true, expected: 'each once' },
  { id: 'siem-forged', name: 'no refused (forged) delivery reaches the SIEM', group: 'siem', required: true, expected: 'none' },
  { id: 'siem-mapped', name: 'each event keeps title, event_type, category, event_link and time (±1 s)', group: 'siem', required: true, expected: 'all kept' },
  { id: 'siem-severity', name: 'severity is kept (High/Medium/Low, or numbers ordering High > Medium > Low)', group: 'siem', required: true, expected: 'kept or ordered' },
  { id: 'siem-latency', name: 'latency from delivery to the SIEM', group: 'siem', required: false, expected: 'p50, p99' },
];

function result(id: string, outcome: CheckResult['outcome'], got: string, reason: string | null, latency: CheckLatency | null = null): CheckResult {
  const info = SIEM_SCENARIOS.find((s) => s.id === id)!;
  return { ...info, got, outcome, reason, durationMs: 0, latency };
}

const SEVERITY_KEYS = ['severity_id', 'severity', 'event.severity'];

/** A numeric severity the output carries (OCSF severity_id, ECS event.severity, CEF Severity...), or null. */
function numericSeverity(output: NewOutput): number | null {
  let fields: unknown;
  try {
    fields = JSON.parse(output.fields === '' ? output.body.toString('utf8') : output.fields);
  } catch {
    return null;
  }
  const stack: unknown[] = [fields];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < 2000) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const obj = node as Record<string, unknown>;
    if (obj.cef && typeof obj.cef === 'object' && /^\d+(\.\d+)?$/.test(String((obj.cef as { severity?: unknown }).severity))) return Number((obj.cef as { severity: string }).severity);
    for (const key of SEVERITY_KEYS) {
      const v = key === 'event.severity' ? (obj.event as Record<string, unknown> | undefined)?.severity : obj[key];
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
    }
    for (const v of Object.values(obj)) if (v !== null && typeof v === 'object') stack.push(v);
  }
  return null;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function severityProblem(present: readonly number[], ordered: boolean): string {
  if (present.length >= 2 && present.every((v) => v === present[0])) return `severity: every event collapsed to one severity (${present[0]})`;
  if (present.length >= 2 && !ordered) return 'severity: the numbers do not order High > Medium > Low';
  return 'severity: every event collapsed to one severity, or none kept';
}

export function judgeThrough(sent: readonly SentEvent[], outputs: readonly NewOutput[], sink: SinkKind): CheckResult[] {
  const arrivals = new Map<string, Arrival[]>();
  for (const output of outputs) {
    if (!landed(output, sink)) continue;
    const text = output.body.toString('utf8');
    for (const id of new Set(output.eventIds)) {
      const list = arrivals.get(id) ?? [];
      list.push({ output, text });
      arrivals.set(id, list);
    }
  }
  const expected = sent.filter((e) => e.valid && e.accepted);
  const describe = (e: SentEvent) => `${e.eventType} "${e.title}"`;

  const lost = expected.filter((e) => !arrivals.has(e.eventId));
  const doubled = expected.filter((e) => (arrivals.get(e.eventId)?.length ?? 0) > e.copies);
  const reachedProblems = [...lost.map((e) => `lost: ${describe(e)}`), ...doubled.map((e) => `duplicated (${arrivals.get(e.eventId)!.length} times): ${describe(e)}`)];
  const results = [result('siem-reached', reachedProblems.length ? 'fail' : 'pass',
    `${expected.length - lost.length}/${expected.length} arrived`, reachedProblems.length ? reachedProblems.slice(0, 12).join('; ') : null)];

  const forged = sent.filter((e) => !e.valid && arrivals.has(e.eventId));
  results.push(result('siem-forged', forged.length ? 'fail' : 'pass',
    `${forged.length} forged arrived`, forged.length ? `a forged event reached the SIEM: ${forged.map(describe).slice(0, 5).join('; ')}` : null));

  const mapping: string[] = [];
  const bySensitivity = new Map<string, number[]>();
  let textual = 0;
  for (const e of expected) {
    const arrival = arrivals.get(e.eventId)?.[0];
    if (!arrival) continue;
    const { output, text } = arrival;
    const missing: string[] = [];
    if (output.title !== e.title && !text.includes(JSON.stringify(e.title).slice(1, -1))) missing.push('title');
    if (output.eventType !== e.eventType && !text.includes(e.eventType)) missing.push('event_type');
    if (!text.includes(JSON.stringify(e.category).slice(1, -1))) missing.push('category');
    if (!text.includes(e.eventLink)) missing.push('event_link');
    if (e.time !== null && (output.eventTime === null || Math.abs(output.eventTime - e.time) > 1000)) missing.push('time');
    if (missing.length) mapping.push(`${describe(e)}: ${missing.join(', ')} not kept`);
    if (e.sensitivity !== null) {
      if (text.includes(`"${e.sensitivity}"`) || text.includes(`=${e.sensitivity}`)) textual++;
      const n = numericSeverity(output);
      if (n !== null) bySensitivity.set(e.sensitivity, [...(bySensitivity.get(e.sensitivity) ?? []), n]);
    }
  }
  results.push(result('siem-mapped', mapping.length ? 'fail' : 'pass',
    `${expected.length - lost.length - mapping.length} mapped`, mapping.length ? mapping.slice(0, 12).join('; ') : null));

  // Severity: kept as the original text, or as numbers that order High > Medium > Low.
  const mean = (k: string) => { const v = bySensitivity.get(k); return v && v.length ? v.reduce((a, b) => a + b, 0) / v.length : null; };
  const [high, medium, low] = [mean('High'), mean('Medium'), mean('Low')];
  const present = [high, medium, low].filter((v): v is number => v !== null);
  const ordered = present.every((v, i) => i === 0 || present[i - 1]! > v);
  const arrived = expected.filter((e) => arrivals.has(e.eventId) && e.sensitivity !== null).length;
  const severityOk = arrived === 0 || textual === arrived || (present.length >= 2 && ordered);
  results.push(result('siem-severity', severityOk ? 'pass' : 'fail',
    present.length ? `High ${high ?? '-'}, Medium ${medium ?? '-'}, Low ${low ?? '-'}` : `${textual}/${arrived} as text`,
    severityOk ? null : severityProblem(present, ordered)));

  const latencies = expected.flatMap((e) => arrivals.get(e.eventId)?.slice(0, 1).map((a) => a.output.receivedAt - e.sentAt) ?? []).sort((a, b) => a - b);
  const latency = latencies.length ? { count: latencies.length, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), maxMs: latencies.at(-1)! } : null;
  results.push(result('siem-latency', 'info',
    latency ? `p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms` : 'nothing arrived', null, latency));
  return results;
}

/** Whether every accepted valid event has arrived (the wait can end early). */
export function allArrived(sent: readonly SentEvent[], outputs: readonly NewOutput[], sink: SinkKind): boolean {
  const seen = new Set<string>();
  for (const o of outputs) if (landed(o, sink)) for (const id of o.eventIds) seen.add(id);
  return sent.every((e) => !(e.valid && e.accepted) || seen.has(e.eventId));
}

/** Where a `--through` run looks for what the connector wrote, and for how long. */
export interface ThroughHook {
  kind: SinkKind;
  waitMs: number;
  /** Everything the sinks received so far (the run keeps only its own events). */
  outputs(): readonly NewOutput[];
}

/**
 * Waits up to `waitMs` for every accepted event to arrive (ends early once they all did,
 * then looks once more for duplicates), and judges what arrived.
 */
export async function awaitThrough(events: () => readonly SentEvent[], hook: ThroughHook, signal?: AbortSignal): Promise<CheckResult[]> {
  const deadline = Date.now() + hook.waitMs;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (Date.now() < deadline && !signal?.aborted && !allArrived(events(), hook.outputs(), hook.kind)) await pause(Math.min(100, deadline - Date.now()));
  // Duplicates arrive after the first copy: one more look after everything was there.
  if (Date.now() < deadline && !signal?.aborted) await pause(Math.min(500, deadline - Date.now()));
  return judgeThrough(events(), hook.outputs(), hook.kind);
}
