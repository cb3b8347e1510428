// Types for nsyslog-parser (it ships none): the parts the CEF tests read.
declare module 'nsyslog-parser' {
  interface ParsedLine {
    type?: string;
    message?: string;
    cef?: Record<'version' | 'deviceVendor' | 'deviceProduct' | 'deviceVersion' | 'deviceEventClassID' | 'name' | 'severity' | 'extension', string>;
    fields?: Record<string, string>;
    err?: Error;
  }
  export default function parse(line: string, options?: Record<string, unknown>): ParsedLine;
}
