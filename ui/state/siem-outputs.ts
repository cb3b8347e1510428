// Pure helpers for the SIEM side of the UI: a delivery's outputs (stored plus live ones),
// what to say while none has arrived, and the wording of an output's link.
import type { OutputSummary, SinkKind } from '../../server/common/protocol.ts';

/** How long after receipt a delivery's output is expected (the end-to-end check's default --sink-wait). */
export const SINK_WAIT_MS = 10_000;

export const SINK_LABELS: Record<SinkKind, string> = { hec: 'Splunk HEC', elastic: 'Elasticsearch', syslog: 'syslog', http: 'HTTP JSON' };

/** Outputs linked to `deliveryId`: those in its detail and those streamed since, by id, no repeats. */
export function outputsOf(deliveryId: number, stored: readonly OutputSummary[], live: readonly OutputSummary[]): OutputSummary[] {
  const byId = new Map<number, OutputSummary>();
  for (const o of stored) byId.set(o.id, o);
  for (const o of live) if (o.deliveryId === deliveryId) byId.set(o.id, o);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Milliseconds from the delivery's receipt to the output's. */
export function latencyOf(deliveryReceivedAt: string, output: OutputSummary): number {
  return Date.parse(output.receivedAt) - Date.parse(deliveryReceivedAt);
}

/** The line shown when a delivery has no output yet: still waiting, or none within the wait. */
export function waitingText(receivedAt: string, now: number, waitMs = SINK_WAIT_MS): { late: boolean; text: string } {
  const age = now - Date.parse(receivedAt);
  if (age >= waitMs) return { late: true, text: `No output reached the SIEM sinks within ${Math.round(waitMs / 1000)} s of receipt.` };
  return { late: false, text: `Waiting for the connector's output (${Math.ceil((waitMs - age) / 1000)} s left).` };
}

const RULES: Record<string, string> = { event_link: 'by event link', title_time: 'by title and time', body_hash: 'by body hash' };

/** "linked to #12 by event link", or why it matches nothing. */
export function linkText(o: OutputSummary): string {
  if (o.deliveryId === null) return `unmatched: ${o.linkNote ?? 'no delivery found'}`;
  return `#${o.deliveryId} ${RULES[o.linkRule ?? ''] ?? ''}`.trim();
}

/** Keep the newest `max` live outputs, dropping deleted ones. */
export function mergeLive(prev: readonly OutputSummary[], message: { type: 'output'; output: OutputSummary } | { type: 'outputs-deleted'; ids: number[] | 'all' }, max = 500): OutputSummary[] {
  if (message.type === 'outputs-deleted') {
    if (message.ids === 'all') return [];
    const gone = new Set(message.ids);
    return prev.filter((o) => !gone.has(o.id));
  }
  const next = [...prev.filter((o) => o.id !== message.output.id), message.output];
  return next.length > max ? next.slice(next.length - max) : next;
}
