// Guards of the UI/API listener, which holds every captured payload and can make the tool
// send requests: Host allow-list (DNS rebinding), exact Origin on state-changing requests
// and WebSocket upgrades (CSRF, cross-site WebSocket hijacking), JSON-only mutations, an
// access token when exposed beyond loopback, and security headers on every response.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { MiddlewareHandler } from 'hono';

export interface GuardOptions {
  /** Hostnames accepted in Host (lowercase, IPv6 in brackets). */
  allowedHosts: readonly string[];
  /** The UI listener's port, for exact Origin matching. */
  port: () => number;
  /** Required when the UI listens beyond loopback. */
  accessToken: string | null;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403; message: string };

export const TOKEN_COOKIE = 'soveren_inspector_token';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
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
    return url.protocol === 'http:' && hosts.has(url.hostname.toLowerCase()) && url.port === String(options.port())
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
      if (k === TOKEN_COOKIE) candidates.push(decodeURIComponent(v.join('=')));
    }
    const fromQuery = new URL(url, 'http://x').searchParams.get('token');
    if (fromQuery) candidates.push(fromQuery);
    return candidates.some((c) => timingSafeEqual(digest(c), tokenDigest));
  }

  /**
   * One decision for plain requests and WebSocket upgrades alike, made on the raw
   * headers before any routing, so no spelling of a path can step around it.
   */
  function check(method: string, url: string, headers: IncomingHttpHeaders, upgrade: boolean): GuardVerdict {
    const host = parseHost(headers.host);
    if (!host) return { ok: false, status: 400, message: 'missing or malformed Host header' };
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

  const middleware: MiddlewareHandler<{ Bindings: { incoming: { headers: IncomingHttpHeaders; method?: string; url?: string } } }> = async (c, next) => {
    const incoming = c.env.incoming;
    const verdict = check(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, false);
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
          location: url.pathname + url.search,
          'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(options.accessToken!)}; HttpOnly; SameSite=Strict; Path=/`,
          ...SECURITY_HEADERS,
        },
      });
    }
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  };

  return { check, middleware };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
