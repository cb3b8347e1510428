// The UI listener's app: guards first (for every path), then /api routes, then the built UI.
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { createApiRoutes, type ApiDeps } from './routes.ts';
import type { createGuards } from './guards.ts';
import type { StaticFile } from './static.ts';

export interface UiAppDeps extends ApiDeps {
  guards: ReturnType<typeof createGuards>;
  staticFiles: Map<string, StaticFile>;
  /** Extra API routes mounted under /api (the sender's). */
  extraApi?: Hono[];
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>soveren-inspector</title>
<p>The UI is not built. Run <code>npm run build</code> (npm start does it for you). The API is at <a href="/api/health">/api/health</a>.</p>`;

export function createUiApp(deps: UiAppDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use('*', deps.guards.middleware);
  for (const extra of deps.extraApi ?? []) app.route('/api', extra);
  app.route('/api', createApiRoutes(deps));

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
