// Guards of the UI/API listener, which holds every captured payload and can make the tool
// send requests: Host allow-list (DNS rebinding), exact Origin on state-changing requests
// and WebSocket upgrades (CSRF, cross-site WebSocket hijacking), JSON-only mutations, an
// access token when exposed beyond loopback, and security headers on every response.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { RequestError } from '@hono/node-server';
import { TOKEN_COOKIE } from '../common/cookies.ts';

export interface GuardOptions {
  /** Hostnames accepted in Host (lowercase, IPv6 in brackets). */
  allowedHosts: readonly string[];
  /** The UI listener's port, for exact Origin matching. */
  port: () => number;
  /** Required when the UI listens beyond loopback. */
  accessToken: string | null;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403; message: string };


export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Split a Host header into a lowercase hostname and port; null when it is malformed. */
export function parseHost(value: string | undefined): { hostname: string; port: string } | null {
  if (!value) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  return { hostname: m[1]!.toLowerCase(), port: m[2] ?? '' };
}

export function createGuards(options: GuardOptions) {
  const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const tokenDigest = options.accessToken === null ? null : digest(options.accessToken);

  /** Exact origins a browser on the UI would send: scheme, host and port. */
  function isOwnOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    // URL drops the default port (":80"), so compare against the effective port.
    return url.protocol === 'http:' && hosts.has(url.hostname.toLowerCase()) && (url.port || '80') === String(options.port())
      && origin === url.origin;
  }

  function tokenMatches(headers: IncomingHttpHeaders, url: string): boolean {
    if (tokenDigest === null) return true;
    const candidates: string[] = [];
    const auth = headers.authorization;
    if (auth?.startsWith('Bearer ')) candidates.push(auth.slice(7));
    const cookie = headers.cookie ?? '';
    for (const part of cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === TOKEN_COOKIE) candidates.push(safeDecode(v.join('=')));
    }
    const fromQuery = tokenFromUrl(url);
    if (fromQuery) candidates.push(fromQuery);
    // Empty candidates never match, whatever the configured token.
    return candidates.some((c) => c !== '' && timingSafeEqual(digest(c), tokenDigest));
  }

  /**
   * One decision for plain requests and WebSocket upgrades alike, made on the raw
   * headers before any routing, so no spelling of a path can step around it.
   */
  function check(method: string, url: string, headers: IncomingHttpHeaders, upgrade: boolean, rawHeaders: readonly string[] = []): GuardVerdict {
    const host = parseHost(headers.host);
    if (!host) return { ok: false, status: 400, message: 'missing or malformed Host header' };
    // Node keeps the first of repeated Host headers; a proxy might use another (RFC 9112 3.2: 400).
    if (rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'host').length > 1) {
      return { ok: false, status: 400, message: 'more than one Host header' };
    }
    if (!hosts.has(host.hostname)) {
      return { ok: false, status: 403, message: `Host "${host.hostname}" is not allowed (DNS rebinding protection); add it with --allowed-host` };
    }
    if (!tokenMatches(headers, url)) return { ok: false, status: 401, message: 'access token required (see the URL printed at start-up)' };

    const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (upgrade || mutating) {
      const origin = headers.origin;
      if (origin !== undefined) {
        if (!isOwnOrigin(origin)) return { ok: false, status: 403, message: `cross-origin request from "${origin.slice(0, 100)}" refused` };
      } else if (headers['sec-fetch-site'] === 'cross-site' || headers['sec-fetch-site'] === 'same-site') {
        return { ok: false, status: 403, message: 'cross-site request without Origin refused' };
      }
    }
    if (mutating && !upgrade) {
      const type = headers['content-type'] ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        // A cross-site form can only send text/plain, urlencoded or multipart without a preflight.
        return { ok: false, status: 403, message: 'state-changing requests must send Content-Type: application/json' };
      }
    }
    return { ok: true };
  }

  const middleware: MiddlewareHandler<{ Bindings: { incoming: { headers: IncomingHttpHeaders; rawHeaders: string[]; method?: string; url?: string } } }> = async (c, next) => {
    const incoming = c.env.incoming;
    const verdict = check(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, false, incoming.rawHeaders);
    if (!verdict.ok) {
      return c.json({ error: verdict.message }, verdict.status, SECURITY_HEADERS);
    }
    // A valid ?token= on a page load becomes an HttpOnly cookie, so it leaves the URL.
    if (tokenDigest !== null && c.req.method === 'GET' && c.req.query('token') !== undefined && !c.req.path.startsWith('/api/')) {
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return new Response(null, {
        status: 303,
        headers: {
          // One leading slash only: "//evil.example/" would be a protocol-relative redirect.
          location: '/' + url.pathname.replace(/^\/+/, '') + url.search,
          'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(options.accessToken!)}; HttpOnly; SameSite=Strict; Path=/`,
          ...SECURITY_HEADERS,
        },
      });
    }
    await next();
    // A route's own policy (raw bodies: `sandbox`) is kept and tightened, never replaced.
    const own = c.res.headers.get('content-security-policy');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    if (own) c.res.headers.set('content-security-policy', `${own}; default-src 'none'; frame-ancestors 'none'`);
  };

  return { check, middleware };
}

/**
 * For requests the adapter cannot even turn into a Request (bad Host, bad target): the
 * same security headers as every other UI response, and a 400 rather than a 500.
 */
export function rejectMalformedRequest(err: unknown): Response {
  const malformed = err instanceof RequestError;
  const body = JSON.stringify({ error: malformed ? 'malformed request' : 'internal error' });
  return new Response(body, { status: malformed ? 400 : 500, headers: { 'content-type': 'application/json', ...SECURITY_HEADERS } });
}

/** Percent-decoding that never throws: a malformed cookie is just a wrong token. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** `?token=` of a request target; null when there is none or the target does not parse. */
function tokenFromUrl(target: string): string | null {
  try {
    return new URL(target, 'http://x').searchParams.get('token');
  } catch {
    return null;
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
