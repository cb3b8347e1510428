// CEF (ArcSight Common Event Format) -> header and extension fields. Header fields are
// separated by unescaped `|` (escapes `\|`, `\\`); the extension is `key=value` pairs where a
// value runs to the next ` key=`, with escapes `\=`, `\\`, `\n`, `\r` (CEF Implementation
// Standard, "Character Encoding").

export interface CefEvent {
  version: string;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  deviceEventClassId: string;
  name: string;
  severity: string;
  /** Extension keys as sent; csNLabel pairs also appear under their labels in `labeled`. */
  extension: Record<string, string>;
  labeled: Record<string, string>;
}

/** Parse `CEF:...` found anywhere in a message (syslog prefixes it with a header); null if none. */
export function parseCef(message: string): CefEvent | null {
  const start = message.indexOf('CEF:');
  if (start < 0) return null;
  const text = message.slice(start + 4);
  const header: string[] = [];
  let current = '';
  let i = 0;
  for (; i < text.length && header.length < 7; i++) {
    const ch = text[i]!;
    if (ch === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      current += text[++i];
    } else if (ch === '|') {
      header.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (header.length < 7) return null;
  const [version, deviceVendor, deviceProduct, deviceVersion, deviceEventClassId, name, severity] = header as [string, string, string, string, string, string, string];
  const extension = parseExtension(text.slice(i));
  const labeled: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(extension)) {
    const m = /^(c[sn]\d|cfp\d|deviceCustomDate\d)Label$/.exec(key);
    if (m && extension[m[1]!] !== undefined) labeled[extension[key]!] = extension[m[1]!]!;
  }
  return { version, deviceVendor, deviceProduct, deviceVersion, deviceEventClassId, name, severity, extension, labeled };
}

function unescapeValue(v: string): string {
  return v.replace(/\\([=\\nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** `k1=v one k2=v2`: a key is letters, digits, `_` or `.`, preceded by a space (or the start). */
export function parseExtension(text: string): Record<string, string> {
  // Null prototype: keys come from the network (`__proto__=x` must be just a key).
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const keyAt = /(?:^|(?<=[^\\] ))([A-Za-z0-9_.]+)=/g;
  const marks: { key: string; keyStart: number; valueStart: number }[] = [];
  for (const m of text.matchAll(keyAt)) {
    // An `=` escaped as `\=` never starts a key; the lookbehind keeps `\ ` escapes out too.
    if (m.index > 0 && text[m.index - 1] !== ' ') continue;
    marks.push({ key: m[1]!, keyStart: m.index, valueStart: m.index + m[0].length });
  }
  for (let k = 0; k < marks.length; k++) {
    const end = k + 1 < marks.length ? marks[k + 1]!.keyStart - 1 : text.length;
    out[marks[k]!.key] = unescapeValue(text.slice(marks[k]!.valueStart, Math.max(end, marks[k]!.valueStart)).replace(/\s+$/, ''));
  }
  return out;
}
