// The API's one error type and the two places errors become answers: the validation hook
// (a request that does not match the contract -> 400 naming each field) and the one
// onError (ApiError -> its status; anything else -> logged through the project's logger,
// answered 500 without details). Every error answer is `{ error, issues? }` (ApiErrorBody).
import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Context, Env, ErrorHandler } from 'hono';
import type { z } from '@hono/zod-openapi';
import type { Logger } from '../log.ts';

export interface Issue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(readonly status: ContentfulStatusCode, message: string, readonly issues?: Issue[]) {
    super(message);
  }

  /** A 400 about one field, shaped like a validation failure. */
  static badField(path: string, message: string): ApiError {
    return new ApiError(400, `${path}: ${message}`, [{ path, message }]);
  }
}

/** zod's issues -> ours: the path as dotted text (`targets.2`), one issue per unknown field, values never echoed. */
export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((i) => {
    const path = i.path.map(String);
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: [...path, k.slice(0, 40)].join('.'), message: 'unknown field (see GET /api/openapi.json)' }));
    return [{ path: path.join('.') || '(body)', message: i.message }];
  });
}

/** The validator's answer to a request that does not match its route's schemas. */
export const validationHook: Hook<any, any, any, any> = (result, c) => {
  if (result.success) return;
  const issues = toIssues(result.error);
  const where = result.target === 'json' ? '' : `${result.target} `;
  return c.json({ error: where + issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues }, 400);
};

/** An app whose routes are declared in the contract (API_ROUTES) and validated by it. */
export function createContractApp<E extends Env = Env>() {
  return new OpenAPIHono<E>({ defaultHook: validationHook });
}

/** The one onError of the UI listener's app. */
export function createErrorHandler(logger: Pick<Logger, 'warn'>): ErrorHandler {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) return c.json({ error: err.message, ...(err.issues && { issues: err.issues }) }, err.status);
    // Hono's own refusals, e.g. a body that is not JSON at all.
    if (err instanceof HTTPException && err.status < 500) return c.json({ error: err.message || 'bad request' }, err.status);
    logger.warn(`api error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json({ error: 'internal error' }, 500);
  };
}
