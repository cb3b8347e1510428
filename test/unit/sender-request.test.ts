// Soveren-shaped requests and their tampered variants, checked against
// @octokit/webhooks-methods as an independent oracle; target URL helpers; request input.
import { describe, expect, it } from 'vitest';
import { verify } from '@octokit/webhooks-methods';
import { buildSoverenHeaders, prepareRequest, storedSignatureHeaders, TAMPER_KINDS } from '../../server/sender/soveren-request.ts';
import { describeBadTarget, isSameEndpoint, redactUrl } from '../../server/sender/target-url.ts';
import { InputError, readForwardingUpdate, readSendInput, readSigning } from '../../server/api/request-input.ts';
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
    expect(isSameEndpoint('http://localhost:4781/any/path', 'http://127.0.0.1:4781/')).toBe(true);
    expect(isSameEndpoint('http://[::1]:4781/', 'http://127.0.0.1:4781/')).toBe(true);
    expect(isSameEndpoint('http://127.0.0.1:4782/', 'http://127.0.0.1:4781/')).toBe(false);
    expect(isSameEndpoint('https://127.0.0.1:4781/', 'http://127.0.0.1:4781/')).toBe(false);
  });
});

describe('request input', () => {
  it('reads signing modes and refuses both at once without echoing the token', () => {
    expect(readSigning({ token: 'a' })).toEqual({ mode: 'token', token: 'a' });
    expect(readSigning({ keepSignature: true })).toEqual({ mode: 'keep' });
    expect(readSigning({})).toEqual({ mode: 'none' });
    const err = (() => { try { readSigning({ token: 'zz-secret', keepSignature: true }); } catch (e) { return e as Error; } return null; })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).not.toContain('zz-secret');
  });
  it('validates send and forwarding bodies field by field', () => {
    expect(readSendInput({ all: true })).toMatchObject({ all: true, count: 1, categoryForm: 'display', tamper: null, concurrency: 4 });
    expect(() => readSendInput({ types: 'x' })).toThrow(/types/);
    expect(() => readSendInput({ count: 0 })).toThrow(/count/);
    expect(() => readSendInput({ categoryForm: 'weird' })).toThrow(/categoryForm/);
    expect(readForwardingUpdate({ enabled: false, token: null })).toEqual({ enabled: false, token: null });
    expect(() => readForwardingUpdate({ targets: ['http://ok/', 'nope'] })).toThrow(/targets\[1\]/);
    expect(() => readForwardingUpdate({ enabled: 'yes' })).toThrow(/enabled/);
  });
});

describe('formatRequestLine', () => {
  it('escapes control characters a target put into its error text', () => {
    const line = formatRequestLine({ index: 0, total: 10, status: 302, durationMs: 3.14, label: '#1', error: 'redirect 302 to http://x/\x1b]0;pwned\x07 not followed' });
    expect(line).toBe('[ 1/10] 302    3.1 ms  #1  redirect 302 to http://x/\\x1b]0;pwned\\x07 not followed');
  });
});
