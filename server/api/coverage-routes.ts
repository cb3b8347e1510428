// Reference routes of the UI listener: GET /api/coverage (the event-type coverage table,
// every cell with the search that lists it) and GET /api/event-types (what each type is).
import { Hono } from 'hono';
import { sanitizeForTerminal } from '../log.ts';
import { buildCoverage } from '../coverage/build.ts';
import type { createCoverageReads } from '../store/coverage.ts';
import type { EventTypeReference } from '../shared/protocol.ts';
import { describeEventTypes } from '../soveren/event-reference.ts';

export interface CoverageRoutesDeps {
  coverage: ReturnType<typeof createCoverageReads>;
}

export function createCoverageRoutes(deps: CoverageRoutesDeps) {
  const api = new Hono();
  api.onError((err, c) => {
    console.error(sanitizeForTerminal(`api error: ${(err as Error).message}`, 1000));
    return c.json({ error: 'internal error' }, 500);
  });

  api.get('/coverage', (c) => c.json(buildCoverage(deps.coverage.read())));

  // Built once: pure data from the catalog and the event factory.
  let reference: { items: EventTypeReference[] } | null = null;
  api.get('/event-types', (c) => c.json((reference ??= { items: describeEventTypes() })));

  return api;
}
