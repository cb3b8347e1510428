// SIEM outputs across the writer thread's boundary, packed so that copying them costs little:
// what a request's items share (sink, path, headers...) crosses once per request, each item
// crosses as an array (a cloned object would carry its 16 key names every time), all bodies
// in one moved buffer; the answer is numbers in one moved buffer, and summaries are built
// from the records the event loop still holds, only when someone asks (the live stream).
import type { OutputSummary } from '../common/protocol.ts';
import { outputSummaryOf, type NewOutput, type StoredLink } from './outputs.ts';
import { LINK_RULES, linkNoteOf } from './output-links.ts';

type RequestPart = [sink: NewOutput['sink'], transport: NewOutput['transport'], method: string | null, path: string, remoteAddress: string | null, headers: string];
type ItemPart = [
  request: number, receivedAt: number, bodySha256: string, fields: string, title: string | null, eventType: string | null,
  eventTime: number | null, summaryJson: string, eventIds: string[], linkKeys: number[], titleKeys: number[], bodyHashes: string[],
];

export interface OutputBatchWire {
  requests: RequestPart[];
  items: ItemPart[];
  bodies: ArrayBuffer;
  lengths: Uint32Array;
}

/** What the store needs of an output (its summary object stays on the event loop). */
export type StorableOutput = Omit<NewOutput, 'summary'>;

export function encodeOutputs(records: readonly NewOutput[]): { wire: OutputBatchWire; transfer: ArrayBuffer[] } {
  const lengths = new Uint32Array(records.length);
  let total = 0;
  for (let i = 0; i < records.length; i++) total += lengths[i] = records[i]!.body.length;
  const bodies = new Uint8Array(total);
  const requests: RequestPart[] = [];
  const items: ItemPart[] = new Array(records.length);
  let at = 0;
  let last: RequestPart | null = null;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    bodies.set(r.body, at);
    at += r.body.length;
    // A request's items are consecutive and share these values (the same strings).
    if (last === null || last[0] !== r.sink || last[1] !== r.transport || last[2] !== r.method || last[3] !== r.path
      || last[4] !== r.remoteAddress || last[5] !== r.headers) {
      last = [r.sink, r.transport, r.method, r.path, r.remoteAddress, r.headers];
      requests.push(last);
    }
    items[i] = [requests.length - 1, r.receivedAt, r.bodySha256, r.fields, r.title, r.eventType, r.eventTime, r.summaryJson,
      r.eventIds, r.linkKeys, r.titleKeys, r.bodyHashes];
  }
  return { wire: { requests, items, bodies: bodies.buffer, lengths }, transfer: [bodies.buffer, lengths.buffer] };
}

export function decodeOutputs(wire: OutputBatchWire): StorableOutput[] {
  let at = 0;
  return wire.items.map((it, i) => {
    const [sink, transport, method, path, remoteAddress, headers] = wire.requests[it[0]]!;
    const body = Buffer.from(wire.bodies, at, wire.lengths[i]!);
    at += wire.lengths[i]!;
    return {
      sink, transport, method, path, remoteAddress, headers, body, receivedAt: it[1], bodySha256: it[2], fields: it[3], title: it[4],
      eventType: it[5], eventTime: it[6], summaryJson: it[7], eventIds: it[8], linkKeys: it[9], titleKeys: it[10], bodyHashes: it[11],
    };
  });
}

/** Per output, 4 numbers: id, delivery id (-1 none), rule (index in LINK_RULES, -1 none), matched event id index. */
const WIDTH = 4;

export function encodeLinks(stored: readonly StoredLink[]): Float64Array<ArrayBuffer> {
  const links = new Float64Array(stored.length * WIDTH);
  for (let i = 0; i < stored.length; i++) {
    const s = stored[i]!;
    const at = i * WIDTH;
    links[at] = s.id;
    links[at + 1] = s.deliveryId ?? -1;
    links[at + 2] = s.rule === null ? -1 : LINK_RULES.indexOf(s.rule);
    links[at + 3] = s.eventIndex ?? 0;
  }
  return links;
}

/** A committed group as the event loop sees it: its last id at once, its summaries on demand. */
export interface StoredOutputs {
  readonly count: number;
  readonly lastId: number;
  summaries(): OutputSummary[];
}

export function storedOutputsOf(records: readonly NewOutput[], links: Float64Array): StoredOutputs {
  let built: OutputSummary[] | null = null;
  return {
    count: records.length,
    lastId: records.length === 0 ? 0 : links[(records.length - 1) * WIDTH]!,
    summaries() {
      // The note is rebuilt by the same function that stored it, from the record and the rule.
      built ??= records.map((r, i) => {
        const at = i * WIDTH;
        const rule = LINK_RULES[links[at + 2]!] ?? null;
        const deliveryId = links[at + 1]! < 0 ? null : links[at + 1]!;
        return outputSummaryOf(r, { id: links[at]!, deliveryId, rule, note: linkNoteOf(r, rule, links[at + 3]!) }, r.body.length);
      });
      return built;
    },
  };
}
