// Receiver end to end over real sockets and a real database: every verdict, 401/413,
// exact bytes for odd bodies, category grouping, duplicates and the simulated answer.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../server/soveren/signature.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { apiRequest, getJson, rawRequest } from '../helpers/http.ts';

const TOKEN = 'test-token-1';
const UA: [string, string] = ['User-Agent', 'SoverenWebhook/1.0'];
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];
const event = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ title: 'Anomaly detected', category: 'Data at risk', event_type: 'anomaly_detected', sensitivity: 'High', time: '2026-11-29T10:00:00.000Z', ...over });

let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN, 'rotated-token'] });
});
afterAll(() => t.close());

async function post(body: string | Buffer, headers: [string, string][], path = '/') {
  const res = await rawRequest(new URL(path, t.receiverUrl).href, { headers, body });
  const id = res.json<{ id: number }>().id;
  const detail = await getJson(`${t.uiUrl}api/deliveries/${id}`);
  return { res, detail };
}

describe('signature verdicts', () => {
  it('valid: 200 after commit, token index reported', async () => {
    const body = event();
    const { res, detail } = await post(body, [JSON_TYPE, UA, ['x-soveren-signature', signBody(body, TOKEN)]]);
    expect(res.status).toBe(200);
    expect(detail.signature).toBe('valid');
    expect(detail.signatureDetail.matchedToken).toBe(0);
    expect(detail.userAgent).toBe('ok');
    expect(detail.findings).toEqual([]);
  });

  it('valid with the second (rotated) token', async () => {
    const body = event();
    const { res, detail } = await post(body, [JSON_TYPE, UA, ['x-soveren-signature', signBody(body, 'rotated-token')]]);
    expect(res.status).toBe(200);
    expect(detail.signatureDetail.matchedToken).toBe(1);
  });

  const refused: [string, (body: string) => [string, string][], string, RegExp][] = [
    ['invalid', (b) => [['x-soveren-signature', signBody(b + ' ', TOKEN)]], 'invalid', /body differs/],
    ['missing', () => [], 'missing', /no x-soveren-signature/],
    ['malformed', () => [['x-soveren-signature', 'sha256=abc']], 'malformed', /3 hex digits/],
    ['repeated', (b) => [['x-soveren-signature', signBody(b, TOKEN)], ['X-Soveren-Signature', signBody(b, TOKEN)]], 'malformed', /2 times/],
  ];
  for (const [name, headers, verdict, reason] of refused) {
    it(`${name}: stored and answered 401 with the reason`, async () => {
      const body = event({ title: `case ${name}` });
      const { res, detail } = await post(body, [JSON_TYPE, UA, ...headers(body)]);
      expect(res.status).toBe(401);
      expect(res.json().error).toMatch(reason);
      expect(detail.signature).toBe(verdict);
      expect(detail.signatureDetail.reason).toMatch(reason);
      expect(Buffer.from(detail.bodyBase64, 'base64').toString()).toBe(body);
    });
  }

  it('user agent verdicts: mismatch and missing are stored and flagged', async () => {
    const body = event();
    const sig: [string, string] = ['x-soveren-signature', signBody(body, TOKEN)];
    const a = await post(body, [JSON_TYPE, ['User-Agent', 'curl/8'], sig]);
    expect(a.res.status).toBe(200);
    expect(a.detail.userAgent).toBe('mismatch');
    expect(a.detail.userAgentValue).toBe('curl/8');
    const b = await post(body, [JSON_TYPE, sig]);
    expect(b.detail.userAgent).toBe('missing');
  });
});

describe('bodies', () => {
  const sign = (b: Buffer): [string, string] => ['x-soveren-signature', signBody(b, TOKEN)];

  it('invalid UTF-8 and binary bodies round-trip byte-exact through detail and raw', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b, 0x22, 0xc3, 0x28, 0x0a, 0x0d]);
    const { res, detail } = await post(bytes, [['Content-Type', 'application/octet-stream'], UA, sign(bytes)]);
    expect(res.status).toBe(200);
    expect(detail.bodyKind).toBe('binary');
    expect(detail.bodyText).toBeNull();
    expect(Buffer.from(detail.bodyBase64, 'base64').equals(bytes)).toBe(true);
    expect(detail.findings.map((f: { code: string }) => f.code)).toContain('not_utf8');
    const raw = await fetch(`${t.uiUrl}api/deliveries/${detail.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect(raw.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await raw.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('malformed JSON, empty body and text are stored and flagged, not refused', async () => {
    const bad = Buffer.from('{"title": "oops",');
    const a = await post(bad, [JSON_TYPE, UA, sign(bad)]);
    expect(a.res.status).toBe(200);
    expect(a.detail.bodyKind).toBe('invalid-json');
    expect(a.detail.findings[0].code).toBe('invalid_json');
    const empty = Buffer.alloc(0);
    const b = await post(empty, [JSON_TYPE, UA, sign(empty)]);
    expect(b.res.status).toBe(200);
    expect(b.detail.bodyKind).toBe('empty');
    expect(b.detail.size).toBe(0);
  });

  it('a BOM and unusual whitespace survive exactly', async () => {
    const body = Buffer.from('\ufeff' + event() + '\r\n', 'utf8');
    const { detail } = await post(body, [JSON_TYPE, UA, sign(body)]);
    expect(Buffer.from(detail.bodyBase64, 'base64').equals(body)).toBe(true);
    expect(detail.bodyText).toBe(body.toString('utf8'));
  });

  it('keeps headers in received order with repeats and original case', async () => {
    const body = Buffer.from(event());
    const { detail } = await post(body, [['X-B', '1'], JSON_TYPE, ['x-a', '2'], ['X-B', '3'], UA, sign(body)]);
    const names = detail.headers.map((h: [string, string]) => h[0]);
    expect(names.slice(0, 5)).toEqual(['Host', 'X-B', 'Content-Type', 'x-a', 'X-B']);
    expect(detail.headers.filter((h: [string, string]) => h[0] === 'X-B').map((h: [string, string]) => h[1])).toEqual(['1', '3']);
  });

  it('over the limit: 413, refusal recorded with declared size and no body', async () => {
    const small = await startTestInspector({ maxBody: 1000 });
    try {
      const body = 'x'.repeat(5000);
      const res = await rawRequest(small.receiverUrl, { headers: [JSON_TYPE], body });
      expect(res.status).toBe(413);
      const list = await getJson(`${small.uiUrl}api/deliveries`);
      expect(list.items[0]).toMatchObject({ refused: 'too_large', size: 5000, status: 413 });
      const detail = await getJson(`${small.uiUrl}api/deliveries/${list.items[0].id}`);
      expect(detail.bodyBase64).toBe('');
      expect(detail.findings[0].message).toMatch(/declared 5000 bytes/);
    } finally {
      await small.close();
    }
  });

  it('marks an identical body as a duplicate of the first', async () => {
    const body = Buffer.from(event({ title: 'dup-check' }));
    const first = await post(body, [JSON_TYPE, UA, sign(body)]);
    const second = await post(body, [JSON_TYPE, UA, sign(body)]);
    expect(first.detail.duplicateOf).toBeNull();
    expect(second.detail.duplicateOf).toBe(first.detail.id);
  });

  it('records any method and path, with the query string', async () => {
    const res = await rawRequest(new URL('/some/path?x=1&y=2', t.receiverUrl).href, { method: 'PUT', headers: [UA], body: 'hi' });
    const detail = await getJson(`${t.uiUrl}api/deliveries/${res.json().id}`);
    expect(detail).toMatchObject({ method: 'PUT', path: '/some/path', query: 'x=1&y=2', bodyKind: 'text' });
    const get = await rawRequest(new URL('/ping', t.receiverUrl).href, { method: 'GET' });
    expect(get.status).toBe(401); // token configured, no signature
  });
});

describe('simulated answers', () => {
  it('answers with the status and delay set through the API, still after commit', async () => {
    const set = await apiRequest(t.uiUrl, '/api/settings/response', 'PUT', { status: 503, delayMs: 150 });
    expect(set.status).toBe(200);
    const body = event();
    const t0 = performance.now();
    const res = await rawRequest(t.receiverUrl, { headers: [JSON_TYPE, UA, ['x-soveren-signature', signBody(body, TOKEN)]], body });
    expect(res.status).toBe(503);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await getJson(`${t.uiUrl}api/deliveries/${res.json().id}`)).status).toBe(503);
    const bad = await apiRequest(t.uiUrl, '/api/settings/response', 'PUT', { status: 99 });
    expect(bad.status).toBe(400);
    await apiRequest(t.uiUrl, '/api/settings/response', 'PUT', { status: 200, delayMs: 0 });
  });

  it('--accept-invalid answers 2xx to bad signatures; --require-user-agent refuses others', async () => {
    const lax = await startTestInspector({ tokens: [TOKEN], acceptInvalid: true, requireUserAgent: true });
    try {
      const body = event();
      const a = await rawRequest(lax.receiverUrl, { headers: [JSON_TYPE, UA, ['x-soveren-signature', 'sha256=' + '0'.repeat(64)]], body });
      expect(a.status).toBe(200);
      expect(a.json().signature).toBe('invalid');
      const b = await rawRequest(lax.receiverUrl, { headers: [JSON_TYPE, ['User-Agent', 'evil'], ['x-soveren-signature', signBody(body, TOKEN)]], body });
      expect(b.status).toBe(403);
    } finally {
      await lax.close();
    }
  });

  it('without a token every delivery is unchecked and accepted', async () => {
    const open = await startTestInspector();
    try {
      const res = await rawRequest(open.receiverUrl, { headers: [JSON_TYPE], body: 'not json at all' });
      expect(res.status).toBe(200);
      expect(res.json().signature).toBe('unchecked');
    } finally {
      await open.close();
    }
  });
});

describe('Expect: 100-continue', () => {
  const exchange = (port: number, length: number) =>
    new Promise<{ reply: string; continued: boolean }>((resolve) => {
      let continued = false;
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`);
      });
      let got = '';
      socket.on('data', (c) => {
        got += c.toString('latin1');
        if (got.startsWith('HTTP/1.1 100') && got.includes('\r\n\r\n')) {
          continued = true;
          socket.write('x'.repeat(length));
          got = '';
        } else if (/\r\n\r\n[\s\S]*\}/.test(got)) {
          socket.destroy();
          resolve({ reply: got, continued });
        }
      });
      socket.on('error', () => resolve({ reply: got, continued }));
    });

  it('invites a body that fits, and answers 413 at once to one that does not', async () => {
    const small = await startTestInspector({ maxBody: 100 });
    try {
      const port = Number(new URL(small.receiverUrl).port);
      const fits = await exchange(port, 10);
      expect(fits.continued).toBe(true);
      expect(fits.reply).toMatch(/^HTTP\/1\.1 200/);
      const tooBig = await exchange(port, 5000);
      expect(tooBig.continued).toBe(false);
      expect(tooBig.reply).toMatch(/^HTTP\/1\.1 413/);
      const list = await getJson(`${small.uiUrl}api/deliveries`);
      expect(list.items.map((d: { status: number; size: number }) => [d.status, d.size])).toEqual([[413, 5000], [200, 10]]);
    } finally {
      await small.close();
    }
  });
});
