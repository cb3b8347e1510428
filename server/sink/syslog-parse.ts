// One syslog message -> fields: RFC 5424 (header, structured data, MSG) or RFC 3164 (BSD:
// timestamp, hostname, tag), then the MSG as CEF or JSON when it is one. Anything else is
// kept as text. Never throws: the input is whatever the network sent.
import { parseCef, type CefEvent } from './cef.ts';

export interface SyslogFields {
  format: 'rfc5424' | 'rfc3164' | 'text';
  facility: number | null;
  severity: number | null;
  timestamp: string | null;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  structuredData: Record<string, Record<string, string>> | null;
  message: string;
  cef: CefEvent | null;
  /** The MSG parsed as JSON, when it is a JSON object. */
  json: Record<string, unknown> | null;
}

const nil = (v: string | undefined): string | null => (v === undefined || v === '-' ? null : v);

/** RFC 5424 6.3: `[id k="v" ...]...`, values escape `"`, `\` and `]` with a backslash. Returns the rest. */
function parseStructuredData(text: string): { sd: Record<string, Record<string, string>> | null; rest: string } | null {
  if (text.startsWith('-')) return { sd: null, rest: text.slice(1) };
  const sd: Record<string, Record<string, string>> = Object.create(null) as Record<string, Record<string, string>>;
  let i = 0;
  while (text[i] === '[') {
    const idMatch = /^\[([^\s\]=" ]+)/.exec(text.slice(i));
    if (!idMatch) return null;
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    sd[idMatch[1]!] = params;
    i += idMatch[0].length;
    for (;;) {
      while (text[i] === ' ') i++;
      if (text[i] === ']') {
        i++;
        break;
      }
      const nameMatch = /^([^\s\]=" ]+)="/.exec(text.slice(i, i + 64));
      if (!nameMatch) return null;
      i += nameMatch[0].length;
      let value = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\]'.includes(text[i + 1]!)) i++;
        value += text[i++];
      }
      if (text[i] !== '"') return null;
      i++;
      params[nameMatch[1]!] = value;
    }
  }
  return { sd, rest: text.slice(i) };
}

function withPayload(base: Omit<SyslogFields, 'cef' | 'json'>): SyslogFields {
  const message = base.message.replace(/^\uFEFF/, ''); // RFC 5424 6.4: a BOM marks UTF-8 MSG
  let json: Record<string, unknown> | null = null;
  if (/^\s*\{/.test(message)) {
    try {
      const parsed: unknown = JSON.parse(message);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      // kept as text
    }
  }
  return { ...base, message, cef: parseCef(message), json };
}

export function parseSyslog(line: string): SyslogFields {
  const text = line.replace(/[\r\n]+$/, '');
  const pri = /^<(\d{1,3})>/.exec(text);
  const empty = { facility: null, severity: null, timestamp: null, hostname: null, appName: null, procId: null, msgId: null, structuredData: null };
  if (!pri || Number(pri[1]) > 191) return withPayload({ format: 'text', ...empty, message: text });
  const value = Number(pri[1]);
  const head = { facility: value >> 3, severity: value & 7 };
  const after = text.slice(pri[0].length);

  // RFC 5424 6: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
  const h = /^([1-9]\d{0,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(after);
  if (h) {
    const sd = parseStructuredData(after.slice(h[0].length));
    if (sd) {
      return withPayload({
        format: 'rfc5424', ...head, timestamp: nil(h[2]), hostname: nil(h[3]), appName: nil(h[4]), procId: nil(h[5]), msgId: nil(h[6]),
        structuredData: sd.sd, message: sd.rest.startsWith(' ') ? sd.rest.slice(1) : sd.rest,
      });
    }
  }
  // RFC 3164 4.1.2: TIMESTAMP ("Mmm dd hh:mm:ss") SP HOSTNAME SP TAG[pid]: MSG, read leniently.
  const b = /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?:(\S+) )?/.exec(after);
  if (b) {
    let rest = after.slice(b[0].length);
    let hostname = b[2] ?? null;
    const tag = /^([^\s:[\]]{1,48})(?:\[([^\]]*)\])?: ?/.exec(rest);
    let appName: string | null = null;
    let procId: string | null = null;
    if (tag) {
      appName = tag[1]!;
      procId = tag[2] ?? null;
      rest = rest.slice(tag[0].length);
    } else if (hostname !== null && /:$|\]:?$/.test(hostname)) {
      // No hostname: what looked like one is the tag.
      const t = /^([^[:]+)(?:\[([^\]]*)\])?:?$/.exec(hostname);
      appName = t?.[1] ?? hostname;
      procId = t?.[2] ?? null;
      hostname = null;
    }
    return withPayload({ format: 'rfc3164', ...head, timestamp: b[1]!, hostname, appName, procId, msgId: null, structuredData: null, message: rest });
  }
  return withPayload({ format: 'text', ...head, timestamp: null, hostname: null, appName: null, procId: null, msgId: null, structuredData: null, message: after });
}
