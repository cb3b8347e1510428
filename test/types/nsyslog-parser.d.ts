// Types for nsyslog-parser (it ships none): the parts the CEF and syslog tests read.
declare module 'nsyslog-parser' {
  interface ParsedLine {
    type?: string;
    message?: string;
    /** RFC 5424 header fields. */
    appName?: string;
    messageid?: string;
    facility?: string;
    /** SD-ELEMENTs: `$id` is the SD-ID, the other keys its params. */
    structuredData?: Record<string, string>[];
    cef?: Record<'version' | 'deviceVendor' | 'deviceProduct' | 'deviceVersion' | 'deviceEventClassID' | 'name' | 'severity' | 'extension', string>;
    fields?: Record<string, string>;
    err?: Error;
  }
  export default function parse(line: string, options?: Record<string, unknown>): ParsedLine;
}
