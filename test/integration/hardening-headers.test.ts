// Security headers on every UI/API response (pages, assets, SPA fallback, API errors,
// refusals), and raw bodies served as an inert, sandboxed attachment.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { portOf } from '../helpers/serve-process.ts';
import { sendBytes, upgradeRequest } from '../helpers/socket.ts';
import { rawRequest, type RawResponse } from '../helpers/http.ts';

let t: TestInspector;
let ui: string;

beforeAll(async () => {
  const uiDir = mkdtempSync(join(tmpdir(), 'soveren-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log(1)');
  t = await startTestInspector({ uiDir });
  ui = t.uiUrl.replace(/\/$/, '');
});
afterAll(async () => {
  await t.close();
});

/** The policy every UI response carries; parsed into directive -> sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...v]) => [name!, v]));
}

function expectHardened(r: Pick<RawResponse, 'headers'>, what: string): void {
  const csp = String(r.headers['content-security-policy'] ?? '');
  const d = directives(csp);
  expect(d.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(d.get('object-src') ?? d.get('default-src'), what).toEqual(["'none'"]);
  const scripts = d.get('script-src') ?? d.get('default-src') ?? [];
  expect(scripts.length, what).toBeGreaterThan(0);
  expect(scripts.filter((s) => s !== "'self'" && s !== "'none'"), `${what}: script sources`).toEqual([]);
  expect(r.headers['x-content-type-options'], what).toBe('nosniff');
  expect(Object.keys(r.headers).filter((k) => k.startsWith('access-control-')), what).toEqual([]);
}

describe('security headers', () => {
  it('are on pages, assets, the SPA fallback and every API answer, errors included', async () => {
    const id = (JSON.parse((await rawRequest(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).body) as { id: number }).id;
    const cases: [string, string, number][] = [
      ['GET', '/', 200], ['GET', '/index.html', 200], ['GET', '/assets/app.js', 200], ['GET', '/deliveries/1?q=x', 200],
      ['HEAD', '/', 200], ['GET', '/api/health', 200], ['GET', `/api/deliveries/${id}`, 200], ['GET', '/api/deliveries?limit=x', 400],
      ['GET', '/api/deliveries/abc', 400], ['GET', '/api/deliveries/999999', 404], ['GET', '/api/nope', 404],
      ['POST', '/', 403], ['OPTIONS', '/api/deliveries', 404],
    ];
    for (const [method, path, status] of cases) {
      const r = await rawRequest(ui + path, { method: method });
      expect(r.status, `${method} ${path}`).toBe(status);
      expectHardened(r, `${method} ${path}`);
    }
    const page = await rawRequest(ui + '/deliveries/1', { method: 'GET' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('/assets/app.js');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('are on refusals: foreign Host, malformed Host, refused upgrade', async () => {
    expectHardened(await rawRequest(ui + '/', { method: 'GET', headers: { host: 'evil.example' } }), 'foreign Host');
    const port = portOf(t.uiUrl);
    for (const request of [
      `GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n`,
      `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      upgradeRequest('/api/stream', [`Host: 127.0.0.1:${port}`, 'Origin: http://evil.example']),
    ]) {
      const r = await sendBytes(port, request);
      expect([400, 403]).toContain(r.status);
      expect(r.head).toMatch(/^content-security-policy: .*frame-ancestors 'none'/im);
      expect(r.head).toMatch(/^x-content-type-options: nosniff/im);
    }
  });
});

describe('raw bodies', () => {
  it('are served as an octet-stream attachment under a sandbox policy', async () => {
    const html = '<html><script>document.title = "pwned"</script></html>';
    const sent = await rawRequest(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'text/html' }, body: html });
    const id = (JSON.parse(sent.body) as { id: number }).id;
    const r = await rawRequest(`${ui}/api/deliveries/${id}/raw`, { method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.body).toBe(html);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    // Text saves as .txt (never .html: the type stays opaque and the name harmless).
    expect(r.headers['content-disposition']).toBe(`attachment; filename="delivery-${id}.txt"`);
    const d = directives(String(r.headers['content-security-policy']));
    expect(d.has('sandbox')).toBe(true);
    expect(d.get('sandbox')).toEqual([]); // no allow-scripts or anything else
    expect(d.get('default-src')).toEqual(["'none'"]);
    expectHardened(r, 'raw');
  });

  it('are named for what they hold: .json for JSON, .bin for bytes that are not text', async () => {
    const cases: [string | Buffer, string][] = [['{"title":"x"}', 'json'], ['{"title":', 'txt'], [Buffer.from([0xff, 0x00, 0xfe]), 'bin'], ['', 'bin']];
    for (const [body, ext] of cases) {
      const sent = await rawRequest(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const id = (JSON.parse(sent.body) as { id: number }).id;
      const r = await rawRequest(`${ui}/api/deliveries/${id}/raw`, { method: 'GET' });
      expect(r.headers['content-disposition'], String(body)).toBe(`attachment; filename="delivery-${id}.${ext}"`);
      expect(r.headers['content-type']).toBe('application/octet-stream');
    }
  });
});
