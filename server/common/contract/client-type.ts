// The type of the /api routes as Hono's typed client (`hc` from hono/client) sees them,
// computed from API_ROUTES alone: the UI gets paths, inputs and answers checked by the
// compiler without importing any server code (this file emits nothing at run time).
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { API_ROUTES } from './routes.ts';
import type { z } from '@hono/zod-openapi';
import type * as R from './requests.ts';

type Routes = typeof API_ROUTES;
// Only its type is read: what `app.openapi(route, handler)` adds to an app's schema.
declare const app: OpenAPIHono;
type SchemaOf<R extends RouteConfig> = ReturnType<typeof app.openapi<R>> extends OpenAPIHono<any, infer S, any> ? S : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The schema of every /api route, as an app built with app.openapi for each would have. */
export type ApiSchema = UnionToIntersection<{ [K in keyof Routes]: SchemaOf<Routes[K]> }[keyof Routes]>;
/** Pass to `hc<ApiApp>(base)`. */
export type ApiApp = OpenAPIHono<{}, ApiSchema, '/'>;

/** Request bodies as a client sends them (before defaults), for the UI's forms. */
export type ReplayRequest = z.input<typeof R.ReplayRequest>;
export type BulkReplayRequest = z.input<typeof R.BulkReplayRequest>;
export type SendRequest = z.input<typeof R.SendRequest>;
export type ForwardingUpdate = z.input<typeof R.ForwardingUpdate>;
export type CheckRequest = z.input<typeof R.CheckRequest>;
/** The SIEM fields of a replay (format and credentials for a hec+, elastic+ or syslog+ target). */
export type SiemTargetOptions = Pick<ReplayRequest, 'format' | 'hecToken' | 'hecAck' | 'elasticApiKey'>;
