// POSIX shell words that stand for exact bytes, for the curl commands we generate from
// captured (attacker-controlled) text: nothing in them is expanded, globbed or read from a file.

/** POSIX single-quoting: safe for any text, including quotes and newlines. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The bytes a captured string stood for on the wire. Node decodes request lines and header
 * values as latin1, so a string whose characters all fit in one byte is re-encoded that way;
 * anything wider (only an import can hold it) goes out as UTF-8.
 */
export function wireBytes(s: string): Buffer {
  return /^[\u0000-\u00ff]*$/.test(s) ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
}

const PLAIN = /^[\x20-\x7e]$/;

/**
 * One shell word that expands to exactly `bytes` (no NUL: an argument cannot hold one).
 * Printable ASCII is single-quoted; any other byte comes from `printf` octal escapes in a
 * command substitution, so the script itself stays 7-bit text whatever the capture held.
 * Command substitution drops trailing newlines, which is why callers never pass any.
 */
export function shellBytes(bytes: Buffer): string {
  let word = '';
  let plain = '';
  let escaped = '';
  const flushPlain = () => { if (plain) word += shellQuote(plain); plain = ''; };
  const flushEscaped = () => { if (escaped) word += `"$(printf '${escaped}')"`; escaped = ''; };
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (PLAIN.test(ch)) {
      flushEscaped();
      plain += ch;
    } else {
      flushPlain();
      escaped += octal(b);
    }
  }
  flushPlain();
  flushEscaped();
  return word || `''`;
}

function octal(b: number): string {
  return `\\${b.toString(8).padStart(3, '0')}`;
}

/** A byte as it stands in a single-quoted printf format: itself when printable and harmless. */
function formatByte(b: number, first: boolean): string {
  if (b === 0x0a) return '\\n';
  // '%' and '\' are printf's own; "'" would end the quoting; a leading '-' would read as an option.
  if (b < 0x20 || b > 0x7e || b === 0x25 || b === 0x5c || b === 0x27 || (first && b === 0x2d)) return octal(b);
  return String.fromCharCode(b);
}

/**
 * `printf` commands (one per line of the body, long lines cut every `chunk` bytes) whose
 * output is exactly `bytes`. printf is a builtin in sh, bash and zsh, so a 1 MiB body is
 * not bound by the argument size limit; chunking keeps each line a sane length anyway.
 */
export function printfLines(bytes: Buffer, chunk = 4096): string[] {
  const lines: string[] = [];
  let current = '';
  let count = 0;
  for (const b of bytes) {
    current += formatByte(b, count === 0);
    count++;
    if (b === 0x0a || count >= chunk) {
      lines.push(`printf '${current}'`);
      current = '';
      count = 0;
    }
  }
  if (count > 0) lines.push(`printf '${current}'`);
  return lines.length > 0 ? lines : [`printf ''`];
}
