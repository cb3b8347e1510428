// GET /api/export: the deliveries a filter matches, oldest first, as NDJSON (exact bytes),
// HAR 1.2 or a curl script, as an attachment; a bad filter is a 400 before any byte; a
// foreign Host is refused like everywhere else; the server's tokens never appear in it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../server/soveren/signature.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { rawRequest } from '../helpers/http.ts';

const TOKEN = 'export-secret-token-7f3a';
let t: TestInspector;
const bodies = [
  '{"title":"Risk one","category":"Data at risk","event_type":"policy_violation"}',
  '{"title":"Other","category":"Other","event_type":"discovery_complete"}',
  '{"title":"Risk two \\u00e9","category":"Data at risk","event_type":"sensitive_data"}',
];
let ids: number[] = [];
beforeAll(async () => {
  t = await startTestInspector({ tokens: [TOKEN] });
  ids = [];
  for (const body of bodies) {
    const r = await rawRequest(t.receiverUrl, { headers: [['Content-Type', 'application/json'], ['x-soveren-signature', signBody(body, TOKEN)]], body });
    ids.push(r.json().id);
  }
});
afterAll(() => t.close());

const get = (query: string, headers: [string, string][] = []) => rawRequest(`${t.uiUrl}api/export?${query}`, { method: 'GET', headers });

describe('GET /api/export', () => {
  it('streams the matching deliveries as NDJSON with their exact bytes, oldest first', async () => {
    const r = await get(`format=ndjson&q=${encodeURIComponent('category:data_at_risk')}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-ndjson');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="deliveries-[\d-]+\.ndjson"$/);
    const lines = r.body.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: number; bodyBase64: string; signature: string });
    expect(lines.map((l) => l.id)).toEqual([ids[0], ids[2]]);
    expect(lines.map((l) => Buffer.from(l.bodyBase64, 'base64').toString('utf8'))).toEqual([bodies[0], bodies[2]]);
    expect(lines.every((l) => l.signature === 'valid')).toBe(true);
    expect(r.body).not.toContain(TOKEN);
  });

  it('writes HAR 1.2 and a curl script that sh accepts, defaulting to NDJSON', async () => {
    const har = await get('format=har');
    expect(har.headers['content-type']).toBe('application/json');
    const log = (har.json() as { log: { version: string; entries: { request: { method: string; url: string; postData: { text: string } } }[] } }).log;
    expect(log.version).toBe('1.2');
    expect(log.entries.map((e) => e.request.postData.text)).toEqual(bodies);
    expect(log.entries[0]!.request.url).toBe(`${t.receiverUrl.replace(/\/$/, '')}/`);

    const curl = await get(`format=curl&q=${encodeURIComponent('event_type:discovery_complete')}`);
    expect(curl.headers['content-disposition']).toMatch(/\.sh"$/);
    expect(curl.body.startsWith('#!/bin/sh\n')).toBe(true);
    expect(curl.body.match(/^# delivery \d+,/gm) ?? []).toHaveLength(1);
    expect(curl.body).toContain(`# delivery ${ids[1]},`);
    const dir = mkdtempSync(join(tmpdir(), 'si-export-'));
    try {
      writeFileSync(join(dir, 'x.sh'), curl.body);
      execFileSync('sh', ['-n', join(dir, 'x.sh')]); // throws on a syntax error
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(curl.body).not.toContain(TOKEN);

    const plain = await get('');
    expect(plain.body.trimEnd().split('\n')).toHaveLength(3);
  });

  it('answers a bad filter or format with 400 naming it, and refuses a foreign Host', async () => {
    const bad = await get('q=replay:maybe');
    expect(bad.status).toBe(400);
    expect(bad.json().error).toContain('replay:');
    const format = await get('format=xml');
    expect(format.status).toBe(400);
    expect(format.json().issues[0].path).toBe('format');
    const foreign = await get('', [['Host', 'evil.example:80']]);
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect(foreign.body).not.toContain('Risk one');
  });
});
