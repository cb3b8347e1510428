// The UI listener's app: guards first (for every path), then the /api routes of the
// contract, the OpenAPI document, then the built UI; one onError for all of them.
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { createApiRoutes, type ApiDeps } from './routes.ts';
import type { createGuards } from './guards.ts';
import type { StaticFile } from './static.ts';
import { createErrorHandler } from './errors.ts';
import { createOpenApiDocument } from './openapi.ts';
import type { Logger } from '../log.ts';

export interface UiAppDeps extends ApiDeps {
  guards: ReturnType<typeof createGuards>;
  staticFiles: Map<string, StaticFile>;
  /** Extra contract routes (paths start with /api): the sender's, the checks'. */
  extraApi?: Hono<any, any, any>[];
  logger: Pick<Logger, 'warn'>;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>soveren-inspector</title>
<p>The UI is not built. Run <code>npm run build</code> (npm start does it for you). The API is at <a href="/api/health">/api/health</a>.</p>`;

export function createUiApp(deps: UiAppDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.onError(createErrorHandler(deps.logger));
  app.use('*', deps.guards.middleware);
  for (const extra of deps.extraApi ?? []) app.route('/', extra);
  app.route('/', createApiRoutes(deps));
  // Built on first request: generating it from every schema takes ~80 ms of start-up otherwise.
  let document: ReturnType<typeof createOpenApiDocument> | null = null;
  app.get('/api/openapi.json', (c) => c.json((document ??= createOpenApiDocument(deps.version))));
  app.all('/api/*', (c) => c.json({ error: `no such API route: ${c.req.method} ${c.req.path}` }, 404));

  app.get('*', (c) => {
    const file = deps.staticFiles.get(c.req.path) ?? deps.staticFiles.get('/index.html');
    if (!file) return c.html(NOT_BUILT, 200);
    return c.body(new Uint8Array(file.body), 200, {
      'content-type': file.type,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
  app.all('*', (c) => c.json({ error: 'method not allowed' }, 405));
  return app;
}
