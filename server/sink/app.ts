// The HTTP sink's app (Hono on @hono/node-server): Splunk HEC paths, Elasticsearch paths,
// and any other POST as generic JSON. Bodies over --max-body get a 413 before they are read.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HttpBindings } from '@hono/node-server';
import { createHecRoutes } from './hec.ts';
import { createElasticRoutes } from './elastic.ts';
import { addGenericRoute } from './generic.ts';
import type { SinkHttpDeps } from './http-common.ts';
import { PRODUCT_HEADER } from './elastic-answers.ts';

export function createSinkApp(deps: SinkHttpDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use('*', bodyLimit({
    maxSize: deps.maxBody,
    onError: (c) => c.json({ error: `the body is over the ${deps.maxBody}-byte --max-body limit` }, 413),
  }));
  app.route('/', createHecRoutes(deps));
  app.route('/', createElasticRoutes(deps));
  addGenericRoute(app, deps);
  app.notFound((c) => {
    c.header(PRODUCT_HEADER[0], PRODUCT_HEADER[1]);
    return c.json({ error: `nothing here for ${c.req.method}; the sink takes Splunk HEC (/services/collector/...), Elasticsearch (/_bulk, /<index>/_doc) and any POST as JSON` }, 404);
  });
  app.onError((err, c) => c.json({ error: `sink error: ${err.message}` }, 503));
  return app;
}
