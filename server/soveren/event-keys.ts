// Correlation keys shared by deliveries and SIEM outputs: the event id inside an event link,
// and a time-ordered key of title + second. Both are small integers, so their indexes stay
// small; a collision only ever proposes a candidate that the caller may confirm.
import { sha256 } from './sha256.ts';

/** The event id of a Soveren event link (`.../events/<id>`), else its last path segment. */
export function eventIdOf(link: string): string | null {
  const m = /\/events\/([^/?#\s"'<>|\\]+)/.exec(link);
  if (m) return m[1]!;
  const trimmed = link.trim();
  if (trimmed === '') return null;
  const last = /([^/?#\s]+)\/?(?:[?#].*)?$/.exec(trimmed);
  return last ? last[1]! : trimmed;
}

/** 52 bits of SHA-256: exact in a JS number and in SQLite's INTEGER. */
function hash52(text: string): number {
  const d = sha256(text);
  return d.readUIntBE(0, 6) * 16 + (d[6]! >> 4);
}

/** Key of an event id (the link rule). */
export function linkKeyOf(eventId: string): number {
  return hash52(`id\u0000${eventId.toLowerCase()}`);
}

const TITLE_BITS = 2 ** 20;

/**
 * Key of a title at a second: the second in the high bits, 20 bits of the title's hash in the
 * low ones. Keys grow with time, so deliveries append at the index's right edge.
 */
export function titleKeyOf(title: string, epochMs: number): number | null {
  return titleKeysOf(title, epochMs, [0])[0] ?? null;
}

/** titleKeyOf at each of `offsetsMs` from `epochMs`, hashing the title once. */
export function titleKeysOf(title: string, epochMs: number, offsetsMs: readonly number[]): number[] {
  const d = sha256(title.trim());
  const low = d.readUIntBE(0, 3) >> 4;
  const keys: number[] = [];
  for (const offset of offsetsMs) {
    const at = epochMs + offset;
    if (Number.isFinite(at) && at >= 0 && at <= 2 ** 31 * 1000) keys.push(Math.floor(at / 1000) * TITLE_BITS + low);
  }
  return keys;
}

/** Parse a time as an output or event carries it: ISO text, epoch s, ms or µs (number or digits). */
export function parseEventTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return fromEpoch(value);
  if (typeof value !== 'string' || value.trim() === '') return null;
  const t = value.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return fromEpoch(Number(t));
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** Seconds, milliseconds or microseconds by magnitude (as Splunk reads `time`). */
function fromEpoch(n: number): number | null {
  if (n < 0) return null;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  return Math.round(n / 1000);
}

/** Keys a delivery is found by: its event id and its title at its time. */
export function deliveryKeysOf(event: Record<string, unknown> | null): { linkKey: number | null; titleKey: number | null } {
  const link = typeof event?.event_link === 'string' ? eventIdOf(event.event_link) : null;
  const time = parseEventTime(event?.time);
  const title = typeof event?.title === 'string' ? event.title : null;
  return {
    linkKey: link === null ? null : linkKeyOf(link),
    titleKey: title === null || time === null ? null : titleKeyOf(title, time),
  };
}

const UUID_PATTERN = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const MAX_CANDIDATES = 32;
/**
 * Characters that end a link: a link is /https?:\/\/[^\s"'<>|\\,\]}]+/ (the scheme, then anything
 * but these). A table for ASCII, the pattern's \s for the rest.
 */
const URL_END = /[\s"'<>|\\,\]}]/;
const ASCII_END = new Uint8Array(128).map((_, c) => (URL_END.test(String.fromCharCode(c)) ? 1 : 0));
const endsUrl = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c < 128 ? ASCII_END[c] === 1 : URL_END.test(text[i]!);
};

/** Where a link (`https?://` and at least one more character) starts in a run, or -1. */
function linkStartIn(run: string): number {
  for (let p = run.indexOf('http'); p >= 0; p = run.indexOf('http', p + 1)) {
    const after = run.startsWith('://', p + 4) ? p + 7 : run.startsWith('s://', p + 4) ? p + 8 : -1;
    if (after > 0 && after < run.length) return p;
  }
  return -1;
}

/**
 * Event ids an output may carry anywhere in its text: inside links, or bare ids. A link never
 * spans a character in URL_END: within a run of other characters it starts at the first scheme
 * and runs to the run's end. So only the runs around each `/events/` (found by indexOf) are
 * looked at, not the whole text with a regex (the unit test keeps that regex as the oracle).
 */
export function eventIdCandidates(text: string): string[] {
  const found = new Set<string>();
  let from = 0;
  for (let at = text.indexOf('/events/'); at >= 0; at = text.indexOf('/events/', from)) {
    let start = at;
    while (start > from && !endsUrl(text, start - 1)) start--;
    let end = at + 8;
    while (end < text.length && !endsUrl(text, end)) end++;
    // Searched within the run only: the whole scan stays linear in the text.
    const run = text.slice(start, end);
    const linkAt = linkStartIn(run);
    if (linkAt >= 0) {
      const link = run.slice(linkAt);
      const id = link.includes('/events/') ? eventIdOf(link) : null;
      if (id !== null) found.add(id.toLowerCase());
      if (found.size >= MAX_CANDIDATES) return [...found];
    }
    from = end;
  }
  // Bare ids only when no link was found: a link names the event better than any uuid near it.
  if (found.size > 0) return [...found];
  for (const m of text.matchAll(UUID_PATTERN)) {
    found.add(m[0].toLowerCase());
    if (found.size >= MAX_CANDIDATES) break;
  }
  return [...found];
}
