// The OpenAPI 3.1 document of the UI listener's API, generated from the contract alone
// (common/contract/): every /api route, the /api/stream WebSocket and its message types,
// and the receiver's Soveren delivery under `webhooks:`. Served at GET /api/openapi.json
// and printed by `soveren-inspector openapi`, without a running server.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { API_ROUTES } from '../common/contract/routes.ts';
import { StreamMessage } from '../common/contract/entities.ts';
import { SOVEREN_DELIVERY } from '../common/contract/webhook.ts';

const STREAM_ROUTE = {
  method: 'get' as const,
  path: '/api/stream',
  tags: ['stream'],
  summary: 'Live deliveries over a WebSocket',
  description: 'Upgrade to a WebSocket (same Origin rules as every other route). The server then sends one JSON `StreamMessage` per WebSocket message: '
    + '`hello`, the backlog after `since` as `delivery` messages, `live`, then live `delivery`, `deleted`, `attempt`, `job`, `check-run`, `check`, '
    + '`heartbeat` and `resync` messages. A client sends nothing; a message over 64 KiB closes its socket with 1009.',
  request: {
    query: z.object({
      since: z.string().regex(/^\d+$/).optional().describe('send the backlog after this id first'),
      q: z.string().max(2000).optional().describe('only deliveries matching this search'),
      token: z.string().optional().describe('access token, when the UI listens beyond loopback'),
    }),
  },
  responses: {
    101: { description: 'Switching Protocols; then StreamMessage after StreamMessage', content: { 'application/json': { schema: StreamMessage } } },
    400: { description: 'not a WebSocket upgrade, or a bad query' },
    403: { description: 'Origin or Host refused' },
  },
};

export function createOpenApiDocument(version: string) {
  const doc = new OpenAPIHono();
  for (const route of Object.values(API_ROUTES)) doc.openAPIRegistry.registerPath(route);
  doc.openAPIRegistry.registerPath(STREAM_ROUTE);
  doc.openAPIRegistry.registerWebhook(SOVEREN_DELIVERY);
  return doc.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'soveren-inspector',
      version,
      description: 'The UI listener\'s API (JSON, camelCase). Requests that change state need `Content-Type: application/json` and, from a browser, '
        + 'the UI\'s own Origin. Bad input is answered 400 `{ error, issues: [{ path, message }] }`; unknown body fields are refused.',
    },
    servers: [{ url: 'http://127.0.0.1:4780', description: 'the UI listener (default --ui-port)' }],
  });
}
