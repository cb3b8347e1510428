// The SIEM outputs' UI helpers: merging stored and live outputs, the waiting line, link wording.
import { describe, expect, it } from 'vitest';
import { latencyOf, linkText, mergeLive, outputsOf, waitingText } from '../../ui/state/siem-outputs.ts';
import type { OutputSummary } from '../../server/common/protocol.ts';

const output = (id: number, deliveryId: number | null, extra: Partial<OutputSummary> = {}): OutputSummary => ({
  id, sink: 'hec', receivedAt: '2026-01-01T00:00:01.250Z', transport: 'http', path: '/services/collector/event', deliveryId,
  linkRule: deliveryId === null ? null : 'event_link', linkNote: deliveryId === null ? 'no event link or id in it' : 'event id x',
  title: 't', eventType: null, eventTime: null, size: 10, summary: {}, ...extra,
});

describe('SIEM outputs in the UI', () => {
  it('merges a delivery’s stored and live outputs by id, in order, without repeats', () => {
    expect(outputsOf(7, [output(3, 7)], [output(5, 7), output(3, 7), output(4, 8)]).map((o) => o.id)).toEqual([3, 5]);
  });

  it('says the delivery is waiting, then that nothing arrived in time', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(waitingText(at, Date.parse(at) + 2500)).toEqual({ late: false, text: "Waiting for the connector's output (8 s left)." });
    expect(waitingText(at, Date.parse(at) + 10_000)).toEqual({ late: true, text: 'No output reached the SIEM sinks within 10 s of receipt.' });
  });

  it('words the link and the latency', () => {
    expect(linkText(output(1, 12))).toBe('#12 by event link');
    expect(linkText(output(1, 12, { linkRule: 'title_time' }))).toBe('#12 by title and time');
    expect(linkText(output(1, null))).toBe('unmatched: no event link or id in it');
    expect(latencyOf('2026-01-01T00:00:00.000Z', output(1, 1))).toBe(1250);
  });

  it('keeps the newest live outputs and drops deleted ones', () => {
    let live: OutputSummary[] = [];
    for (let i = 1; i <= 5; i++) live = mergeLive(live, { type: 'output', output: output(i, null) }, 3);
    expect(live.map((o) => o.id)).toEqual([3, 4, 5]);
    expect(mergeLive(live, { type: 'outputs-deleted', ids: [4] }).map((o) => o.id)).toEqual([3, 5]);
    expect(mergeLive(live, { type: 'outputs-deleted', ids: 'all' })).toEqual([]);
  });
});
