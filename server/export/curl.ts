// A stored delivery as a shell command that reproduces it: same method, request target,
// headers (signature included) and exact body bytes, for "copy as cURL" and `export --format curl`.
// Everything captured is attacker-controlled, so the command is built to be inert:
// - the connection always goes to the chosen base URL; the captured path and query are
//   sent verbatim as the request target (`--request-target`), never parsed as a URL, so
//   `//evil/x`, `/\evil` or an absolute-form `http://evil/` cannot pick the host;
// - `--globoff --path-as-is`: no `[1-5]`/`{a,b}` globbing, no dot-segment squashing;
// - the body goes through stdin (`--data-binary @-`) from printf, so curl never reads a
//   file named by the body (`@/etc/passwd`, `<file`);
// - every captured string is a quoted shell word (see shell-words.ts): no expansion.
import { printfLines, shellBytes, shellQuote, wireBytes } from './shell-words.ts';

export { shellQuote } from './shell-words.ts';

// Set by the client or the connection, not part of what the sender chose to send.
const SKIP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'expect', 'accept-encoding', 'te', 'upgrade']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface CurlSource {
  method: string;
  path: string;
  query: string;
  headers: readonly [string, string][];
  body: Buffer;
}

/** Where the command sends: a shell word for the URL curl connects to, and how the request target is built. */
export interface CurlTarget {
  urlWord: string;
  /** Shell word for the base path put before the captured target ('' for none). */
  prefixWord: (capturedStartsWithSlash: boolean) => string;
}

/** The captured request target, exactly as received: path, then "?query" when there was one. */
export function capturedTarget(d: Pick<CurlSource, 'path' | 'query'>): string {
  return d.path + (d.query ? `?${d.query}` : '');
}

/** A fixed base URL (the receiver, or a target the user chose): its origin, and its path as prefix. */
export function fixedTarget(base: string): CurlTarget {
  const url = new URL(base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`the target must be an http:// or https:// URL, got ${url.protocol}`);
  const prefix = url.pathname.replace(/\/+$/, '');
  return {
    urlWord: shellQuote(`${url.origin}/`),
    prefixWord: (slash) => (prefix === '' ? '' : shellQuote(slash ? prefix : `${prefix}/`)),
  };
}

/** The export script's target: $ORIGIN and $PREFIX, set once at the top of the script from $TARGET. */
export const SCRIPT_TARGET: CurlTarget = {
  urlWord: '"$ORIGIN/"',
  prefixWord: (slash) => (slash ? '"$PREFIX"' : '"${PREFIX:+$PREFIX/}"'),
};

export function formatCurl(d: CurlSource, target: CurlTarget): string {
  const requestTarget = capturedTarget(d);
  const targetWord = target.prefixWord(requestTarget.startsWith('/')) + shellBytes(wireBytes(stripUnsendable(requestTarget)));
  // A body-less HEAD needs --head: with -X HEAD curl would wait for the body the answer announces.
  const methodWord = /^[A-Za-z][A-Za-z0-9-]*$/.test(d.method) ? d.method : shellBytes(wireBytes(stripUnsendable(d.method)));
  const method = d.method.toUpperCase() === 'HEAD' && d.body.length === 0 ? '--head' : `-X ${methodWord}`;
  const lines = [`curl -sS --globoff --path-as-is ${method}`, `  --request-target ${targetWord}`];
  const present = new Set<string>();
  for (const [name, value] of d.headers) {
    const lower = name.toLowerCase();
    present.add(lower);
    // A name that is no token, or a value with a line break or NUL, cannot be sent as one header.
    if (SKIP.has(lower) || !TOKEN.test(name) || /[\r\n\0]/.test(value)) continue;
    // curl drops a header given as "Name:"; "Name;" is its spelling for an empty value.
    lines.push(`  -H ${shellBytes(wireBytes(value.trim() === '' ? `${name};` : `${name}: ${value}`))}`);
  }
  const withBody = d.body.length > 0 || present.has('content-length') || present.has('transfer-encoding');
  // curl adds these on its own; the capture did not have them, so they are removed.
  if (!present.has('user-agent')) lines.push(`  -H 'User-Agent:'`);
  if (!present.has('accept')) lines.push(`  -H 'Accept:'`);
  if (withBody && !present.has('content-type')) lines.push(`  -H 'Content-Type:'`);
  lines.push(`  -H 'Expect:'`);
  if (withBody) lines.push('  --data-binary @-');
  lines.push(`  ${target.urlWord}`);
  const curl = lines.join(' \\\n');
  if (!withBody) return curl;
  const printf = printfLines(d.body);
  return printf.length === 1 ? `${printf[0]} | ${curl}` : `{\n${printf.join('\n')}\n} | ${curl}`;
}

/** Bytes no request line can carry (an import could hold them) become %XX, the nearest thing a server could have seen. */
function stripUnsendable(s: string): string {
  return s.replace(/[\u0000-\u0020\u007f]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
