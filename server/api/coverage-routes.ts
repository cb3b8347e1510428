// Reference routes of the UI listener (declared in common/contract/routes.ts):
// GET /api/coverage (the event-type coverage table, every cell with the search that lists
// it) and GET /api/event-types (what each type is).
import { buildCoverage } from '../coverage/build.ts';
import type { createCoverageReads } from '../store/coverage.ts';
import type { EventTypeReference } from '../common/protocol.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import { describeEventTypes } from '../soveren/event-reference.ts';
import { createContractApp } from './errors.ts';

export interface CoverageRoutesDeps {
  coverage: ReturnType<typeof createCoverageReads>;
}

export function createCoverageRoutes(deps: CoverageRoutesDeps) {
  // Built once: pure data from the catalog and the event factory.
  let reference: { items: EventTypeReference[] } | null = null;
  return createContractApp()
    .openapi(API_ROUTES.coverage, (c) => c.json(buildCoverage(deps.coverage.read()), 200))
    .openapi(API_ROUTES.eventTypes, (c) => c.json((reference ??= { items: describeEventTypes() }), 200));
}
