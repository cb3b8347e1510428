// Terminal output. Captured values are attacker-controlled: control characters are escaped
// so a user agent carrying "\x1b]0;...\x07" cannot retitle or repaint the terminal.
import type { DeliverySummary } from './common/protocol.ts';

/** Replace C0/C1 control characters, DEL and bidi controls (which reorder what follows) with visible escapes; cap the length. */
export function sanitizeForTerminal(s: string, max = 200): string {
  const clipped = s.length > max ? s.slice(0, max) + '…' : s;
  return clipped.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  delivery(d: DeliverySummary): void;
}

export function createLogger(options: { quiet: boolean; out?: NodeJS.WritableStream; err?: NodeJS.WritableStream }): Logger {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  return {
    // Every line, not only delivery lines: warnings quote targets, errors and answers too.
    info: (line) => out.write(sanitizeForTerminal(line, 4000) + '\n'),
    warn: (line) => err.write(sanitizeForTerminal(line, 4000) + '\n'),
    delivery(d) {
      if (options.quiet) return;
      const what = [d.categoryFacet, d.eventType].filter(Boolean).join('/') || d.bodyKind;
      const title = d.title ? ` "${d.title}"` : '';
      out.write(sanitizeForTerminal(
        `#${d.id} ${d.method} ${d.path} -> ${d.status}  sig:${d.signature} ua:${d.userAgent}  ${what}${title}`, 300) + '\n');
    },
  };
}
