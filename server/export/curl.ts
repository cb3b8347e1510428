// A stored delivery as a shell command that reproduces it: same method, headers (signature
// included) and exact body bytes, for "copy as cURL" and `export --format curl`.

// Set by the client or the connection, not part of what the sender chose to send.
const SKIP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'expect', 'accept-encoding']);

/** POSIX single-quoting: safe for any text, including quotes and newlines. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * `options.urlShell`: a shell expression used as is instead of the quoted URL (export
 * scripts pass `"$TARGET"'/path'`). The method is quoted unless it is a plain word:
 * imported deliveries can carry any text there.
 */
export function formatCurl(d: { method: string; headers: readonly [string, string][]; body: Buffer }, url: string,
  options: { urlShell?: string } = {}): string {
  const method = /^[A-Za-z][A-Za-z0-9-]*$/.test(d.method) ? d.method : shellQuote(d.method);
  const lines = [`curl -sS -X ${method} ${options.urlShell ?? shellQuote(url)}`];
  for (const [name, value] of d.headers) {
    if (!SKIP.has(name.toLowerCase())) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  }
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(d.body);
  const exactText = Buffer.from(text, 'utf8').equals(d.body) && !/[\0]/.test(text);
  if (d.body.length === 0) return lines.join(' \\\n');
  if (exactText) {
    lines.push(`  --data-binary ${shellQuote(text)}`);
    return lines.join(' \\\n');
  }
  // Bytes that are not text go through base64 so the command stays copy-pastable.
  lines.push('  --data-binary @-');
  return `printf %s ${shellQuote(d.body.toString('base64'))} | base64 -d | ${lines.join(' \\\n')}`;
}
