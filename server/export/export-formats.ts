// Export formats for captured deliveries: NDJSON (exact bytes as base64 plus text,
// verdicts, headers, receivedAt; what `import` reads back), HAR 1.2 (for HTTP tools) and a
// shell script of curl commands that re-sends every delivery to $TARGET. Both aim at a base URL
// the user chose, never at a host named by captured data (Host header, path).
import { STATUS_CODES } from 'node:http';
import type { DeliveryDetail, ExportedAttempt, ExportedDelivery } from '../common/protocol.ts';
import { redactUrl } from '../sender/target-url.ts';
import { sanitizeForTerminal } from '../log.ts';
import { capturedTarget, formatCurl, SCRIPT_TARGET, shellQuote } from './curl.ts';

export const EXPORT_FORMAT = 'soveren-inspector.delivery/1';
export const EXPORT_FORMATS = ['ndjson', 'har', 'curl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A delivery to export; NDJSON carries `attempts` when given (attempt-transfer.ts reads them). */
export type ExportSource = Omit<DeliveryDetail, 'attempts'> & { attempts?: ExportedAttempt[] };

export function toExportedDelivery(d: ExportSource): ExportedDelivery {
  // importedAt is this database's fact, not the delivery's: an import sets its own.
  const { importedAt: _local, attempts, ...rest } = d;
  // Targets are stored without user:password; redacting again keeps a hand-edited row from leaking one.
  return { format: EXPORT_FORMAT, ...rest, ...(attempts && { attempts: attempts.map((a) => ({ ...a, target: redactUrl(a.target) })) }) };
}

/** Streaming writer: `begin`, one `entry` per delivery (oldest first), `end`. */
export interface ExportWriter {
  begin(): string;
  entry(d: ExportSource): string;
  end(): string;
}

export function createNdjsonWriter(): ExportWriter {
  return { begin: () => '', entry: (d) => JSON.stringify(toExportedDelivery(d)) + '\n', end: () => '' };
}

export const DEFAULT_EXPORT_TARGET = 'http://127.0.0.1:4781';

/**
 * The base URL's origin and path, then the captured target appended as it was received (a
 * target that is not origin-form, like `http://evil/abs`, gets a "/" first so it stays path).
 */
export function exportUrl(base: string, d: Pick<ExportSource, 'path' | 'query'>): string {
  const url = new URL(base);
  const target = capturedTarget(d);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${target.startsWith('/') ? '' : '/'}${target}`;
}

/** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/); our extras start with "_" as the spec asks. */
export function createHarWriter(version: string, target = DEFAULT_EXPORT_TARGET): ExportWriter {
  let first = true;
  return {
    begin: () => `{"log":{"version":"1.2","creator":{"name":"soveren-inspector","version":${JSON.stringify(version)}},"entries":[\n`,
    entry(d) {
      const entry = {
        startedDateTime: d.receivedAt,
        time: 0,
        request: {
          method: d.method,
          url: exportUrl(target, d),
          httpVersion: 'HTTP/1.1',
          cookies: [],
          headers: d.headers.map(([name, value]) => ({ name, value })),
          queryString: [...new URLSearchParams(d.query)].map(([name, value]) => ({ name, value })),
          postData: { mimeType: d.contentType ?? '', text: d.bodyText ?? d.bodyBase64, ...(d.bodyText === null && { _encoding: 'base64' }) },
          headersSize: -1,
          bodySize: d.size,
        },
        response: {
          status: d.status, statusText: STATUS_CODES[d.status] ?? '', httpVersion: 'HTTP/1.1', cookies: [], headers: [],
          content: { size: 0, mimeType: 'application/json' }, redirectURL: '', headersSize: -1, bodySize: -1,
        },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
        comment: `soveren-inspector delivery ${d.id}: signature ${d.signature}, user agent ${d.userAgent}`,
        _soverenInspector: {
          id: d.id, bodyBase64: d.bodyBase64, bodySha256: d.bodySha256, signature: d.signatureDetail, userAgent: d.userAgent,
          findings: d.findings, category: d.category, eventType: d.eventType,
        },
      };
      const text = (first ? '' : ',\n') + JSON.stringify(entry);
      first = false;
      return text;
    },
    end: () => '\n]}}\n',
  };
}

/** A POSIX shell script; `TARGET=http://host:port/prefix sh export.sh` sends everything there. */
export function createCurlWriter(note: string, target = DEFAULT_EXPORT_TARGET): ExportWriter {
  return {
    begin: () => [
      '#!/bin/sh',
      `# soveren-inspector export: ${sanitizeForTerminal(note, 300)}`,
      '# Re-sends each captured delivery with its captured headers (signature included) and exact bytes.',
      '# Usage: TARGET=http://127.0.0.1:8080 sh this-file.sh   (without TARGET: DEFAULT_TARGET below)',
      '# Each captured path and query is sent as is after the path of TARGET, to the host of TARGET only.',
      `DEFAULT_TARGET=${shellQuote(target)}`,
      'TARGET=${TARGET:-$DEFAULT_TARGET}',
      'case $TARGET in',
      '  http://*|https://*) ;;',
      '  *) echo "TARGET must be an http:// or https:// URL, got: $TARGET" >&2; exit 2 ;;',
      'esac',
      '# ORIGIN: scheme://host:port; PREFIX: the path of TARGET without its trailing "/".',
      'REST=${TARGET#*://}',
      'case $REST in',
      '  */*) PREFIX=/${REST#*/}; ORIGIN=${TARGET%"$PREFIX"} ;;',
      '  *) PREFIX=; ORIGIN=$TARGET ;;',
      'esac',
      'PREFIX=${PREFIX%/}',
      '',
    ].join('\n') + '\n',
    entry(d) {
      // Comments hold captured text: control characters (newlines!) are escaped so nothing leaves the comment.
      const comment = sanitizeForTerminal(`# delivery ${d.id}, ${d.receivedAt}, ${d.eventType ?? d.bodyKind}, signature ${d.signature}`, 300);
      const body = Buffer.from(d.bodyBase64, 'base64');
      return `${comment}\n${formatCurl({ method: d.method, path: d.path, query: d.query, headers: d.headers, body }, SCRIPT_TARGET)}\necho\n\n`;
    },
    end: () => '',
  };
}
