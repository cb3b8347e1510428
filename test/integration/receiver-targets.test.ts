// Request targets, Hosts and methods that are not a valid URL or Fetch request (a "\" in the
// path, `OPTIONS *`, Host "a b", TRACE) still reach the receiver's Hono app and are recorded
// byte for byte from the raw request, like ordinary ones. Raw TCP, so the bytes are exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../helpers/http.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { portOf } from '../helpers/serve-process.ts';
import { sendBytes } from '../helpers/socket.ts';

let t: TestInspector;
beforeAll(async () => {
  t = await startTestInspector();
});
afterAll(() => t.close());

const cases: { method: string; target: string; host: string | null; path: string; query: string }[] = [
  { method: 'POST', target: '/\\evil.example/steal?x=1', host: '127.0.0.1', path: '/\\evil.example/steal', query: 'x=1' },
  { method: 'POST', target: '//evil.example/x', host: '127.0.0.1', path: '//evil.example/x', query: '' },
  { method: 'POST', target: 'http://evil.example/abs?q=%20', host: '127.0.0.1', path: 'http://evil.example/abs', query: 'q=%20' },
  { method: 'OPTIONS', target: '*', host: '127.0.0.1', path: '*', query: '' },
  { method: 'POST', target: '/hook/%2e%2e/../x', host: 'a b', path: '/hook/%2e%2e/../x', query: '' },
  { method: 'TRACE', target: '/\\trace', host: '127.0.0.1', path: '/\\trace', query: '' },
  { method: 'PROPFIND', target: '/dav', host: 'UPPER.Example:99999', path: '/dav', query: '' },
  { method: 'POST', target: '/no-host', host: null, path: '/no-host', query: '' },
];

describe('odd requests reach the app and are recorded exactly', () => {
  for (const c of cases) {
    it(`${c.method} ${c.target} (Host ${c.host ?? 'none'})`, async () => {
      const version = c.host === null ? 'HTTP/1.0' : 'HTTP/1.1';
      const host = c.host === null ? '' : `Host: ${c.host}\r\n`;
      const body = c.method === 'TRACE' ? '' : '{}';
      const r = await sendBytes(portOf(t.receiverUrl), `${c.method} ${c.target} ${version}\r\n${host}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      expect(r.status).toBe(200);
      const answer = JSON.parse(r.body) as { ok: boolean; id: number; signature: string };
      expect(answer).toMatchObject({ ok: true, signature: 'unchecked' });
      const d = await getJson<{ method: string; path: string; query: string; headers: [string, string][]; size: number }>(`${t.uiUrl}api/deliveries/${answer.id}`);
      expect(d).toMatchObject({ method: c.method, path: c.path, query: c.query, size: body.length });
      if (c.host !== null) expect(d.headers[0]).toEqual(['Host', c.host]);
      else expect(d.headers.some(([name]) => name.toLowerCase() === 'host')).toBe(false);
    });
  }
});
