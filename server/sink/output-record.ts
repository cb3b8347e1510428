// One item a sink received -> a NewOutput: credentials redacted from the headers, title,
// event type and time found wherever the format put them, and the correlation candidates
// (event ids, title + second keys, body hashes) the writer thread looks up.
import type { SinkKind } from '../common/protocol.ts';
import type { NewOutput } from '../store/outputs.ts';
import { eventIdCandidates, linkKeyOf, parseEventTime, titleKeysOf } from '../soveren/event-keys.ts';
import { sha256Hex } from '../soveren/sha256.ts';

export interface OutputInput {
  sink: SinkKind;
  transport: 'http' | 'tcp' | 'udp';
  receivedAt: number;
  method: string | null;
  path: string;
  remoteAddress: string | null;
  headers: [string, string][];
  /** The exact bytes of this item. */
  body: Buffer;
  /** `body` as UTF-8 text when the sink already decoded it (saves decoding it again). */
  text?: string;
  /** What the sink parsed (an object or a string). */
  fields: unknown;
  /** True when the item's bytes are exactly `fields` as JSON: stored once, not twice. */
  fieldsAreBody?: boolean;
  summary: Record<string, string>;
  /** Other exact texts the item carries (a raw message, a string event): hashed for the body rule. */
  embedded?: string[];
  /** Where to look for title, event type and time, when not in `fields` as a whole (syslog: the CEF or JSON MSG). */
  searchIn?: unknown;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'x-splunk-token', 'x-elastic-api-key']);

/** Credentials never reach the store: the scheme of an Authorization header is kept, its value is not. */
export function redactHeaders(headers: [string, string][]): [string, string][] {
  return headers.map(([name, value]) => {
    if (!SECRET_HEADERS.has(name.toLowerCase())) return [name, value];
    const scheme = /^(Splunk|Basic|Bearer|ApiKey)\s/i.exec(value);
    return [name, scheme ? `${scheme[1]} [redacted]` : '[redacted]'];
  });
}

/** Redacted headers as stored, once per request: every item of a batch shares its headers array. */
const headersJson = new WeakMap<[string, string][], string>();
function headersJsonOf(headers: [string, string][]): string {
  let json = headersJson.get(headers);
  if (json === undefined) {
    json = JSON.stringify(redactHeaders(headers));
    headersJson.set(headers, json);
  }
  return json;
}

/** Key names that carry each field, best first (Soveren, OCSF, ECS, CEF, HEC). */
const TITLE_KEYS = ['title', 'message', 'msg', 'name'];
const TYPE_KEYS = ['event_type', 'action', 'signatureid', 'deviceeventclassid'];
// timegenerated: the time column of every Microsoft Sentinel / Log Analytics table (Logs Ingestion API records).
const TIME_KEYS = ['time', '@timestamp', 'rt', 'timestamp', 'original_time', 'timegenerated'];
const MAX_NODES = 5000;
const WANTED = new Set([...TITLE_KEYS, ...TYPE_KEYS, ...TIME_KEYS]);

/** Every scalar under each wanted key, walking at most MAX_NODES nodes (attacker-sized input). */
function collect(root: unknown, wanted: ReadonlySet<string>): Map<string, unknown[]> {
  const found = new Map<string, unknown[]>();
  const stack: unknown[] = [root];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < MAX_NODES) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      // Scalars in arrays have no key to be found by: only objects and arrays are walked.
      for (let i = node.length - 1; i >= 0; i--) if (node[i] !== null && typeof node[i] === 'object') stack.push(node[i]);
      continue;
    }
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const v = (node as Record<string, unknown>)[k];
      const lower = k.toLowerCase();
      if (wanted.has(lower) && (typeof v === 'string' || typeof v === 'number')) {
        const list = found.get(lower) ?? [];
        list.push(v);
        found.set(lower, list);
      }
      if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
  return found;
}

function firstOf(found: Map<string, unknown[]>, keys: readonly string[], accept: (v: unknown) => boolean): unknown {
  for (const k of keys) for (const v of found.get(k) ?? []) if (accept(v)) return v;
  return undefined;
}

export function buildOutput(input: OutputInput): NewOutput {
  const found = collect(input.searchIn ?? input.fields, WANTED);
  const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  const title = firstOf(found, TITLE_KEYS, isText) as string | undefined;
  const eventType = firstOf(found, TYPE_KEYS, (v) => isText(v) && /^[a-z0-9_]+$/.test(v as string)) as string | undefined;
  const timeValue = firstOf(found, TIME_KEYS, (v) => parseEventTime(v) !== null);
  const eventTime = timeValue === undefined ? null : parseEventTime(timeValue);

  const text = input.text ?? input.body.toString('utf8');
  // "Same time" is ±1 s: a connector may round, truncate or convert the time.
  const titleKeys = title !== undefined && eventTime !== null ? titleKeysOf(title, eventTime, [0, -1000, 1000]) : [];
  const bodyHashes = [sha256Hex(input.body), ...(input.embedded ?? []).map((t) => sha256Hex(t))];
  // Keys hashed here, on the event loop, so the writer thread only looks them up.
  const eventIds = eventIdCandidates(text);
  return {
    receivedAt: input.receivedAt,
    sink: input.sink,
    transport: input.transport,
    method: input.method,
    path: input.path,
    remoteAddress: input.remoteAddress,
    headers: headersJsonOf(input.headers),
    body: input.body,
    bodySha256: bodyHashes[0]!,
    fields: input.fieldsAreBody ? '' : JSON.stringify(input.fields) ?? 'null',
    summary: input.summary,
    summaryJson: JSON.stringify(input.summary),
    title: title ?? null,
    eventType: eventType ?? null,
    eventTime,
    eventIds,
    linkKeys: eventIds.map(linkKeyOf),
    titleKeys,
    bodyHashes: [...new Set(bodyHashes)],
  };
}
