// The UI/API listener stays on loopback by default; beyond loopback it needs an access
// token (generated, printed once, with a warning) for the API, the WebSocket and the UI.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveConfig } from '../../server/commands/serve.ts';
import { BIN, httpRequest, portOf, rawRequest, spawnServe, tempDbPath, upgradeRequest, type ServeProcess } from './hardening-serve-process.ts';

/** Whether a TCP connection to address:port is accepted. */
function reachable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, address);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

const running: ServeProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

describe('binding', () => {
  it('defaults to 127.0.0.1 with no token; another loopback address cannot connect', async () => {
    const config = serveConfig([], {});
    expect(config.host).toBe('127.0.0.1');
    expect(config.receiverHost).toBe('127.0.0.1');
    expect(config.accessToken).toBeNull();

    const local = await spawnServe(['--db', tempDbPath()]);
    running.push(local);
    const port = portOf(local.uiUrl);
    expect(await reachable('127.0.0.1', port)).toBe(true);
    // Bound to 127.0.0.1 only, so 127.0.0.2 (also loopback on Linux) is refused...
    expect(await reachable('127.0.0.2', port)).toBe(false);
    expect(await reachable('127.0.0.2', portOf(local.receiverUrl))).toBe(false);
    expect(local.stderr()).not.toMatch(/warning/);

    // ...while a wildcard bind would accept it: the probe above can tell the difference.
    const wide = await spawnServe(['--db', tempDbPath(), '--host', '0.0.0.0']);
    running.push(wide);
    expect(await reachable('127.0.0.2', portOf(wide.uiUrl))).toBe(true);
  });
});

describe('--host 0.0.0.0', () => {
  let serve: ServeProcess;
  let token: string;
  let base: string;
  let port: number;

  it('generates a token, prints it exactly once, and warns', async () => {
    serve = await spawnServe(['--db', tempDbPath(), '--host', '0.0.0.0']);
    running.push(serve);
    const url = new URL(serve.uiUrl);
    token = url.searchParams.get('token')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    port = portOf(serve.uiUrl);
    base = `http://127.0.0.1:${port}`;
    const printed = serve.stdout() + serve.stderr();
    expect(printed.split(token).length - 1).toBe(1);
    // stderr is a separate pipe: give it a moment to arrive after the stdout lines.
    for (let i = 0; i < 40 && !/^warning: /m.test(serve.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(serve.stderr()).toMatch(/^warning: .*0\.0\.0\.0.*token/m);
  });

  it('API: refused without a valid token, served with Bearer or ?token=', async () => {
    expect((await httpRequest('GET', `${base}/api/health`)).status).toBe(401);
    expect((await httpRequest('GET', `${base}/api/health`, { authorization: 'Bearer ' })).status).toBe(401);
    expect((await httpRequest('GET', `${base}/api/health`, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await httpRequest('GET', `${base}/api/deliveries`, { cookie: 'soveren_inspector_token=%E0%A4%A' })).status).toBe(401);
    const ok = await httpRequest('GET', `${base}/api/health`, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).not.toContain(token);
    expect((await httpRequest('GET', `${base}/api/deliveries?token=${token}`)).status).toBe(200);
    // The Host allow-list still applies with a valid token.
    expect((await httpRequest('GET', `${base}/api/health`, { authorization: `Bearer ${token}`, host: 'evil.example' })).status).toBe(403);
  });

  it('UI: ?token= becomes an HttpOnly SameSite=Strict cookie and leaves the URL', async () => {
    expect((await httpRequest('GET', `${base}/`)).status).toBe(401);
    const first = await httpRequest('GET', `${base}/deliveries/7?q=sig%3Ainvalid&token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/deliveries/7?q=sig%3Ainvalid');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    expect((await httpRequest('GET', `${base}/`, { cookie })).status).toBe(200);
    expect((await httpRequest('GET', `${base}/api/health`, { cookie })).status).toBe(200);

    // "//host" would be a protocol-relative redirect off-site.
    const sneaky = await httpRequest('GET', `${base}//evil.example/x?token=${token}`);
    expect(sneaky.status).toBe(303);
    expect(sneaky.headers.location).toBe('/evil.example/x');
  });

  it('WebSocket: refused without the token, accepted with cookie, ?token= or Bearer', async () => {
    const host = `Host: 127.0.0.1:${port}`;
    const origin = `Origin: http://127.0.0.1:${port}`;
    expect((await rawRequest(port, upgradeRequest('/api/stream', [host, origin]))).status).toBe(401);
    expect((await rawRequest(port, upgradeRequest('/api/stream', [host, origin, 'Cookie: soveren_inspector_token=nope']))).status).toBe(401);
    // Malformed percent-encoding in the cookie once threw inside the upgrade handler.
    expect((await rawRequest(port, upgradeRequest('/api/stream', [host, origin, 'Cookie: soveren_inspector_token=%E0%A4%A']))).status).toBe(401);
    expect([400, 401]).toContain((await rawRequest(port, upgradeRequest(`http://[?token=${token}`, [host]))).status);
    expect(serve.proc.exitCode).toBeNull();
    expect((await rawRequest(port, upgradeRequest('/api/stream', [host, origin, `Cookie: a=b; soveren_inspector_token=${token}`]))).status).toBe(101);
    expect((await rawRequest(port, upgradeRequest(`/api/stream?token=${token}`, [host]))).status).toBe(101);
    expect((await rawRequest(port, upgradeRequest('/api/stream', [host, `Authorization: Bearer ${token}`]))).status).toBe(101);
    // A valid cookie does not excuse a foreign Origin.
    expect((await rawRequest(port, upgradeRequest('/api/stream', [host, 'Origin: http://evil.example', `Cookie: soveren_inspector_token=${token}`]))).status).toBe(403);

    // The cookie flow end to end, as the browser does it: a real client gets the hello.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/stream`, { headers: { cookie: `soveren_inspector_token=${token}`, origin: `http://127.0.0.1:${port}` } });
    const hello = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (m) => resolve(JSON.parse(String(m)) as { type: string }));
      ws.once('error', reject);
    });
    expect(hello.type).toBe('hello');
    ws.close();
  });
});

describe('--access-token', () => {
  it('refuses a short token with exit code 2, naming the flag', async () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--db', tempDbPath(), '--ui-port', '0', '--receiver-port', '0', '--sink-port', '0', '--syslog-port', '0', '--host', '0.0.0.0', '--access-token', 'short'], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--access-token must be at least 16 characters/);
    expect(r.stdout + r.stderr).not.toContain('short');
  });

  it('never prints a token the user chose', async () => {
    const chosen = 'chosen-access-token-0123456789';
    const serve = await spawnServe(['--db', tempDbPath(), '--host', '0.0.0.0'], { SOVEREN_INSPECTOR_ACCESS_TOKEN: chosen });
    running.push(serve);
    const base = `http://127.0.0.1:${portOf(serve.uiUrl)}`;
    expect((await httpRequest('GET', `${base}/api/health`, { authorization: `Bearer ${chosen}` })).status).toBe(200);
    expect((await httpRequest('GET', `${base}/api/health`)).status).toBe(401);
    await serve.stop();
    expect(serve.stdout() + serve.stderr()).not.toContain(chosen);
  });
});
