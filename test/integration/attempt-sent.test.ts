// Every attempt records what was sent: signing mode (fresh, kept, none), the target without
// user:password, the payload format, and for "replay with changes" the edited body and its
// SHA-256 (checked against what the target received). Stored in SQLite (read back with a
// separate connection) and answered by GET /api/deliveries/:id; never a token.
import { createSocket } from 'node:dgram';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import type { Attempt, DeliveryDetail } from '../../server/common/protocol.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { sha256, startTarget, type Target } from './sender-target.ts';

const RECEIVER_TOKEN = 'receiver-token-sent';
const CONNECTOR_TOKEN = 'connector-token-sent';
const BODY = '{"title":"Anomaly detected","category":"Data at risk","event_type":"anomaly_detected","sensitivity":"High"}';

let t: TestInspector;
let target: Target;

const api = (path: string, body: unknown) => fetch(new URL(path, t.uiUrl), {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const detail = async (id: number) => (await (await fetch(new URL(`/api/deliveries/${id}`, t.uiUrl))).json()) as DeliveryDetail;

beforeAll(async () => {
  t = await startTestInspector({ tokens: [RECEIVER_TOKEN] });
  target = await startTarget(() => ({ status: 200, body: '{"ok":true}' }));
});
afterAll(async () => {
  await target.close();
  await t.close();
});

async function capture(): Promise<number> {
  const res = await fetch(t.receiverUrl + 'hook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'SoverenWebhook/1.0', 'x-soveren-signature': await sign(RECEIVER_TOKEN, BODY) },
    body: BODY,
  });
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-soveren-inspector-id'));
}

describe('attempt records what was sent', () => {
  it('records fresh, kept and edited replays, redacts credentials, and keeps them in SQLite', async () => {
    const id = await capture();
    const withCreds = target.url.replace('http://', 'http://alice:s3cret@');
    const fresh = await api(`/api/deliveries/${id}/replay`, { target: withCreds, token: CONNECTOR_TOKEN });
    expect(fresh.status).toBe(200);
    const kept = await api(`/api/deliveries/${id}/replay`, { target: target.url, keepSignature: true });
    expect(kept.status).toBe(200);
    const edited = BODY.replace('"High"', '"Low"');
    const changed = await api(`/api/deliveries/${id}/replay`, { target: target.url, token: CONNECTOR_TOKEN, body: edited });
    const changedText = await changed.text();
    expect(changed.status).toBe(200);
    expect(changedText).not.toContain(CONNECTOR_TOKEN);
    expect((JSON.parse(changedText) as Attempt).sent).toEqual({ signing: 'fresh', format: 'soveren', editedBody: edited, editedSha256: sha256(Buffer.from(edited)) });

    const got = target.received.at(-1)!;
    expect(got.body.toString('utf8')).toBe(edited);

    const attempts = (await detail(id)).attempts;
    expect(attempts.map((a) => a.sent)).toEqual([
      { signing: 'fresh', format: 'soveren', editedBody: null, editedSha256: null },
      { signing: 'kept', format: 'soveren', editedBody: null, editedSha256: null },
      { signing: 'fresh', format: 'soveren', editedBody: edited, editedSha256: sha256(got.body) },
    ]);
    expect(attempts[0]!.target).toBe(target.url);
    expect(JSON.stringify(attempts)).not.toContain('s3cret');
    expect(JSON.stringify(attempts)).not.toContain(CONNECTOR_TOKEN);

    // The stored rows, read by an independent connection.
    const db = new Database(t.dbPath, { readonly: true });
    try {
      const rows = db.prepare('SELECT target, signing, format, edited_body, edited_sha256 FROM attempts WHERE delivery_id = ? ORDER BY id').all(id);
      expect(rows).toEqual([
        { target: target.url, signing: 'fresh', format: 'soveren', edited_body: null, edited_sha256: null },
        { target: target.url, signing: 'kept', format: 'soveren', edited_body: null, edited_sha256: null },
        { target: target.url, signing: 'fresh', format: 'soveren', edited_body: edited, edited_sha256: sha256(Buffer.from(edited)) },
      ]);
    } finally {
      db.close();
    }
  });

  it('stores the target without a credential in its query, while the request carries it', async () => {
    const id = await capture();
    const res = await api(`/api/deliveries/${id}/replay`, { target: `${target.url}?code=fn-key-123&tenant=7`, keepSignature: true });
    expect(res.status).toBe(200);
    expect(target.received.at(-1)!.url).toBe('/hook?code=fn-key-123&tenant=7');
    const [attempt] = (await detail(id)).attempts;
    expect(attempt!.target).toBe(`${target.url}?code=redacted&tenant=7`);
    expect(JSON.stringify(await detail(id))).not.toContain('fn-key-123');
  });

  it('records the SIEM payload format of a replay to a syslog collector, with no signature', async () => {
    const id = await capture();
    const socket = createSocket('udp4');
    const got = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    try {
      const res = await api(`/api/deliveries/${id}/replay`, { target: `syslog+udp://127.0.0.1:${socket.address().port}`, token: CONNECTOR_TOKEN });
      expect(res.status).toBe(200);
      expect(await got).toContain('CEF:0|');
      expect(((await res.json()) as Attempt).sent).toEqual({ signing: 'none', format: 'cef', editedBody: null, editedSha256: null });
    } finally {
      socket.close();
    }
  });

  it('records an unsigned replay as signing none', async () => {
    const id = await capture();
    const res = await api(`/api/deliveries/${id}/replay`, { target: target.url });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Attempt).sent).toEqual({ signing: 'none', format: 'soveren', editedBody: null, editedSha256: null });
  });
});
