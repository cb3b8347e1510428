// An independent webhook target for the sender's tests: plain node:http, signatures checked
// with @octokit/webhooks-methods (not our code), and a script deciding each answer
// (status, headers, delay, or no answer at all).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { verify } from '@octokit/webhooks-methods';

export interface Captured {
  method: string;
  url: string;
  /** Raw headers in received order, original case. */
  headers: [string, string][];
  body: Buffer;
  /** performance.now() when the request ended. */
  at: number;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Never answer (the socket stays open until close()). */
  hang?: boolean;
}

export type Script = (req: Captured, index: number) => Answer;

export function header(c: Captured, name: string): string[] {
  return c.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Octokit's verify: the oracle for "valid signature" (it needs a non-empty body and header). */
export async function octokitValid(token: string, c: Captured): Promise<boolean> {
  const sig = header(c, 'x-soveren-signature');
  if (sig.length !== 1 || c.body.length === 0) return false;
  return verify(token, c.body.toString('utf8'), sig[0]!);
}

export async function startTarget(script: Script = () => ({ status: 200, body: '{"ok":true}' })) {
  const received: Captured[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const captured: Captured = { method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks), at: performance.now() };
      const index = received.push(captured) - 1;
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve();
      const answer = script(captured, index);
      if (answer.hang) return;
      const reply = () => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
    get connections() { return connections; },
    /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
    waitFor(n: number, timeoutMs = 5000): Promise<void> {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`target got ${received.length} of ${n} requests`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type Target = Awaited<ReturnType<typeof startTarget>>;
