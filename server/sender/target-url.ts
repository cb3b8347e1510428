// Target URLs of outbound requests: validation, removal of user:password before a URL is
// and credential-like query values before a URL is stored or shown, and detection of this
// inspector's own receiver (forwarding there loops).

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0', '[::]']);

/** Why `raw` cannot be a target (one sentence), or null when it is an http(s) URL. */
export function describeBadTarget(raw: string): string | null {
  if (raw.length > 2048) return 'the URL is longer than 2048 characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw.slice(0, 80)}" is not a URL (expected http://host:port/path)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported scheme "${url.protocol}" (http or https only)`;
  return null;
}

/**
 * Query parameters that carry a credential in webhook URLs (Azure Functions' `code`, API keys,
 * SAS signatures, tokens): their values are replaced wherever a target is stored or shown.
 */
const SECRET_PARAM = /^(code|token|access[-_]?token|key|api[-_]?key|apikey|x-api-key|secret|client[-_]?secret|password|passwd|pass|auth|sig|signature|sas)$/i;
const REDACTED = 'redacted';

/** The URL without user:password and without the values of credential-like query parameters, for attempts, health, logs and API answers. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const secrets = [...url.searchParams.keys()].filter((k) => SECRET_PARAM.test(k) && url.searchParams.get(k) !== REDACTED);
    if (url.username === '' && url.password === '' && secrets.length === 0) return raw;
    url.username = '';
    url.password = '';
    for (const k of secrets) url.searchParams.set(k, REDACTED);
    return url.href;
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//');
  }
}

function hostKey(url: URL): string {
  const host = url.hostname.toLowerCase();
  const loopback = LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${loopback ? 'loopback' : host}:${port}`;
}

/** Same scheme, port and host, counting every loopback spelling as one host. */
export function isSameEndpoint(a: string, b: string): boolean {
  try {
    return hostKey(new URL(a)) === hostKey(new URL(b));
  } catch {
    return false;
  }
}
