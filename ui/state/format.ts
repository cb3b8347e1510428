// Small formatting helpers for attacker-controlled values: sizes, times, hex dumps, and
// the only way a payload value may become a link (http and https URLs, nothing else).

/** The URL when it is an absolute http(s) URL, else null (javascript:, data:, relative...). */
export function safeHref(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 4096) return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

// One formatter: toLocaleString builds a new Intl.NumberFormat on every call.
const counts = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return counts.format(n);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * A Date for an ISO string or epoch ms, or null when Date cannot hold it (outside ±8.64e15
 * ms, or not a time): stored times come from imports and other tools, and formatting an
 * invalid Date throws (toISOString) or prints "Invalid Date". Every formatter goes through here.
 */
export function toValidDate(value: string | number): Date | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** `14:03:27` today, `Mar 4 14:03` otherwise (local time); the input as text when it is no time. */
export function formatShortTime(iso: string | number, now = new Date()): string {
  const d = toValidDate(iso);
  if (d === null) return String(iso);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === now.toDateString()) return time;
  const month = d.toLocaleString('en-US', { month: 'short' });
  return `${month} ${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `2024-03-04 14:03:27.120` local time, for the detail pane. */
export function formatFullTime(iso: string | number): string {
  const d = toValidDate(iso);
  if (d === null) return String(iso);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago". */
export function formatAgo(iso: string | number, now = Date.now()): string {
  const ms = now - (toValidDate(iso)?.getTime() ?? NaN);
  if (Number.isNaN(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Classic `offset  hex bytes  |ascii|` dump, 16 bytes a line, of at most `limit` bytes. */
export function hexDump(bytes: Uint8Array, limit = bytes.length): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, limit);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const b = row[i];
      hex += b === undefined ? '   ' : b.toString(16).padStart(2, '0') + ' ';
      if (i === 7) hex += ' ';
      if (b !== undefined) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n');
}

/** Milliseconds for people: one decimal under 10 ms, whole numbers above, seconds past 10 s. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${Math.round(ms * 10) / 10} ms`;
}

/** "1 delivery", "2 deliveries", "1,234 targets": the count and the right form of the noun. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
