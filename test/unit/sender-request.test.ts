// Soveren-shaped requests and their tampered variants, checked against
// @octokit/webhooks-methods as an independent oracle; target URL helpers; request input.
import { describe, expect, it } from 'vitest';
import { verify } from '@octokit/webhooks-methods';
import { buildSoverenHeaders, prepareRequest, storedSignatureHeaders, TAMPER_KINDS } from '../../server/sender/soveren-request.ts';
import { describeBadTarget, isSameEndpoint, redactUrl } from '../../server/sender/target-url.ts';
import { ForwardingUpdate, ReplayRequest, SendRequest } from '../../server/common/contract/requests.ts';
import { signingFrom } from '../../server/sender/replay.ts';
import { formatRequestLine } from '../../server/sender/report.ts';

const TOKEN = 'tøken with spaces';
const BODY = Buffer.from('{"title":"t","event_type":"new_data_type"}');
const get = (h: [string, string][], name: string) => h.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);

describe('buildSoverenHeaders', () => {
  it('sends exactly Content-Type, User-Agent and a signature octokit accepts', async () => {
    const headers = buildSoverenHeaders(BODY, { mode: 'token', token: TOKEN });
    expect(headers.map(([k]) => k)).toEqual(['Content-Type', 'User-Agent', 'x-soveren-signature']);
    expect(get(headers, 'content-type')).toEqual(['application/json']);
    expect(get(headers, 'user-agent')).toEqual(['SoverenWebhook/1.0']);
    expect(await verify(TOKEN, BODY.toString(), get(headers, 'x-soveren-signature')[0]!)).toBe(true);
  });
  it('keeps stored signature headers verbatim (repeats and case too), or sends none', () => {
    const stored: [string, string][] = [['Host', 'x'], ['X-Soveren-Signature', 'sha256=AB'], ['x-soveren-signature', 'junk']];
    expect(storedSignatureHeaders(stored)).toEqual([['X-Soveren-Signature', 'sha256=AB'], ['x-soveren-signature', 'junk']]);
    expect(buildSoverenHeaders(BODY, { mode: 'keep', headers: storedSignatureHeaders(stored) }).slice(2)).toEqual(storedSignatureHeaders(stored));
    expect(buildSoverenHeaders(BODY, { mode: 'none' })).toHaveLength(2);
  });
});

describe('prepareRequest tamper variants', () => {
  it('each fails the way it claims', async () => {
    const valid = async (r: { body: Buffer; headers: [string, string][] }) => {
      const sig = get(r.headers, 'x-soveren-signature');
      return sig.length === 1 && verify(TOKEN, r.body.toString(), sig[0]!);
    };
    expect(await valid(prepareRequest(BODY, TOKEN, null))).toBe(true);
    const body = prepareRequest(BODY, TOKEN, 'body');
    expect(await valid(body)).toBe(false);
    expect(get(body.headers, 'x-soveren-signature')).toEqual(get(prepareRequest(BODY, TOKEN, null).headers, 'x-soveren-signature'));
    expect(await valid(prepareRequest(BODY, TOKEN, 'signature'))).toBe(false);
    expect(get(prepareRequest(BODY, TOKEN, 'missing-signature').headers, 'x-soveren-signature')).toEqual([]);
    const ua = prepareRequest(BODY, TOKEN, 'user-agent');
    expect(await valid(ua)).toBe(true);
    expect(get(ua.headers, 'user-agent')[0]).not.toBe('SoverenWebhook/1.0');
    const mj = prepareRequest(BODY, TOKEN, 'malformed-json');
    expect(await valid(mj)).toBe(true);
    expect(() => JSON.parse(mj.body.toString())).toThrow();
  });
  it('refuses signature tampering without a token, allows the others', () => {
    for (const kind of ['body', 'signature', 'missing-signature'] as const) expect(() => prepareRequest(BODY, null, kind)).toThrow(/needs a token/);
    expect(get(prepareRequest(BODY, null, 'user-agent').headers, 'x-soveren-signature')).toEqual([]);
    expect(TAMPER_KINDS).toHaveLength(5);
  });
});

describe('target URLs', () => {
  it('accepts http(s) only, redacts credentials and spots the own receiver in any loopback spelling', () => {
    expect(describeBadTarget('http://127.0.0.1:8080/hook')).toBeNull();
    expect(describeBadTarget('file:///etc/passwd')).toMatch(/unsupported scheme/);
    expect(describeBadTarget('not a url')).toMatch(/not a URL/);
    expect(redactUrl('https://user:pa55@example.com/x?y=1')).toBe('https://example.com/x?y=1');
    expect(redactUrl('http://example.com/')).toBe('http://example.com/');
    // Credentials in the query (Azure Functions' ?code=, API keys) are not shown either; other parameters are kept.
    expect(redactUrl('https://fn.example.net/api/hook?code=AbC123%3D%3D&tenant=7')).toBe('https://fn.example.net/api/hook?code=redacted&tenant=7');
    expect(redactUrl('https://x.example/h?API_KEY=k1&Token=t2')).toBe('https://x.example/h?API_KEY=redacted&Token=redacted');
    expect(redactUrl(redactUrl('https://x.example/h?sig=s'))).toBe('https://x.example/h?sig=redacted');
    expect(isSameEndpoint('http://localhost:4781/any/path', 'http://127.0.0.1:4781/')).toBe(true);
    expect(isSameEndpoint('http://[::1]:4781/', 'http://127.0.0.1:4781/')).toBe(true);
    expect(isSameEndpoint('http://127.0.0.1:4782/', 'http://127.0.0.1:4781/')).toBe(false);
    expect(isSameEndpoint('https://127.0.0.1:4781/', 'http://127.0.0.1:4781/')).toBe(false);
  });
});

describe('request bodies (the contract)', () => {
  const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    (r.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));

  it('reads signing modes and refuses both at once without echoing the token', () => {
    const target = 'http://127.0.0.1:9/';
    expect(signingFrom(ReplayRequest.parse({ target, token: 'a' }))).toEqual({ mode: 'token', token: 'a' });
    expect(signingFrom(ReplayRequest.parse({ target, keepSignature: true }))).toEqual({ mode: 'keep' });
    expect(signingFrom(ReplayRequest.parse({ target }))).toEqual({ mode: 'none' });
    const both = ReplayRequest.safeParse({ target, token: 'zz-secret', keepSignature: true });
    expect(both.success).toBe(false);
    expect(issuesOf(both)).toEqual([{ path: 'keepSignature', message: 'give either token or keepSignature, not both' }]);
    expect(JSON.stringify(both.error)).not.toContain('zz-secret');
  });

  it('validates send and forwarding bodies field by field', () => {
    expect(SendRequest.parse({ all: true })).toEqual({ all: true });
    expect(issuesOf(SendRequest.safeParse({ types: 'x' })).map((i) => i.path)).toEqual(['types']);
    expect(issuesOf(SendRequest.safeParse({ count: 0 })).map((i) => i.path)).toEqual(['count']);
    expect(issuesOf(SendRequest.safeParse({ categoryForm: 'weird' })).map((i) => i.path)).toEqual(['categoryForm']);
    expect(issuesOf(SendRequest.safeParse({ all: true, colour: 'red' }))[0]).toMatchObject({ path: '' });
    expect(ForwardingUpdate.parse({ enabled: false, token: null })).toEqual({ enabled: false, token: null });
    expect(issuesOf(ForwardingUpdate.safeParse({ targets: ['http://ok/', ''] })).map((i) => i.path)).toEqual(['targets.1']);
    expect(issuesOf(ForwardingUpdate.safeParse({ enabled: 'yes' })).map((i) => i.path)).toEqual(['enabled']);
  });
});

describe('formatRequestLine', () => {
  it('escapes control characters a target put into its error text', () => {
    const line = formatRequestLine({ index: 0, total: 10, status: 302, durationMs: 3.14, label: '#1', error: 'redirect 302 to http://x/\x1b]0;pwned\x07 not followed' });
    expect(line).toBe('[ 1/10] 302    3.1 ms  #1  redirect 302 to http://x/\\x1b]0;pwned\\x07 not followed');
  });
});
