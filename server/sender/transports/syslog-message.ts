// One RFC 5424 syslog message: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG, and
// the TCP framings of RFC 6587 (octet counting, or a trailing LF). Pure.
import { hostname } from 'node:os';

/** RFC 5424 6.2.1: facility local0 is 16. */
const LOCAL0 = 16;

/**
 * Soveren sensitivity -> RFC 5424 severity: High 3 (error), Medium 4 (warning), Low 5
 * (notice). A missing or unknown sensitivity is 6 (informational): below every known level.
 */
export function syslogSeverity(sensitivity: unknown): number {
  if (sensitivity === 'High') return 3;
  if (sensitivity === 'Medium') return 4;
  if (sensitivity === 'Low') return 5;
  return 6;
}

/** RFC 5424 6: header fields are PRINTUSASCII (33-126) of bounded length, or "-" when empty. */
function headerField(value: string | null | undefined, max: number): string {
  const v = (value ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return v === '' ? '-' : v;
}

/** RFC 5424 6.3.3: inside PARAM-VALUE, `"`, `\` and `]` are escaped with a backslash. */
function paramValue(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

export interface SyslogMessageInput {
  severity: number;
  /** MSGID: the event type (at most 32 characters). */
  msgId: string | null;
  deliveryId: number;
  message: string;
  time?: Date;
  host?: string;
}

/**
 * The SD-ID uses 32473, the private enterprise number RFC 5612 reserves for examples,
 * since Soveren has none registered for this tool: `[soveren@32473 deliveryId="12"]` lets a
 * SIEM tie the message back to the stored delivery.
 */
export function formatSyslogMessage(m: SyslogMessageInput): string {
  const pri = LOCAL0 * 8 + m.severity;
  const time = (m.time ?? new Date()).toISOString();
  const sd = `[soveren@32473 deliveryId="${paramValue(String(m.deliveryId))}"]`;
  // MSG without a BOM (RFC 5424 6.4 allows MSG-ANY): CEF collectors read the text as is.
  return `<${pri}>1 ${time} ${headerField(m.host ?? hostname(), 255)} soveren-inspector ${process.pid} ${headerField(m.msgId, 32)} ${sd} ${m.message}`;
}

/** RFC 6587 3.4.1: "MSG-LEN SP SYSLOG-MSG", the length in octets. */
export function frameOctetCounted(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length} `), bytes]);
}

/** RFC 6587 3.4.2: the message then LF; an LF inside would split it, so it is escaped. */
export function frameLf(message: string): Buffer {
  return Buffer.from(`${message.replace(/\r?\n/g, '\\n')}\n`, 'utf8');
}
