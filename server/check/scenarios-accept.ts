// Scenarios a conforming connector accepts with 2xx: a valid signed event of every category
// and every documented event type, forward-compatible variants, and a retried delivery.
import { CATEGORIES, EVENT_TYPES } from '../common/catalog.ts';
import type { SoverenEvent } from '../soveren/events.ts';
import { judgeAccepted } from './judge.ts';
import { eventBody, post, postSigned, soverenHeaders, type Scenario } from './scenario.ts';

const FORWARD = ': Soveren adds event types, fields and category names over time; a connector must keep and accept what it does not know';

export function createCategoryScenarios(): Scenario[] {
  return CATEGORIES.map((info): Scenario => ({
    id: `category-${info.facet}`,
    name: `category ${info.display}: valid signed event is accepted`,
    group: 'category',
    required: true,
    expected: '2xx',
    run: async (ctx) => judgeAccepted(await postSigned(ctx, eventBody(ctx, info.eventTypes[0]!)),
      `a valid signed event of category "${info.display}"`),
  }));
}

export function createEventTypeScenarios(): Scenario[] {
  return EVENT_TYPES.map((type): Scenario => ({
    id: `event_type-${type}`,
    name: `event_type ${type}: valid signed event is accepted`,
    group: 'event_type',
    required: true,
    expected: '2xx',
    run: async (ctx) => judgeAccepted(await postSigned(ctx, eventBody(ctx, type)), `a valid signed ${type} event`),
  }));
}

/** An accepted-with-2xx variant of a realistic event. */
function compatible(id: string, name: string, what: string, type: string, change: (e: SoverenEvent) => SoverenEvent): Scenario {
  return {
    id, name, group: 'compatibility', required: true, expected: '2xx',
    run: async (ctx) => judgeAccepted(await postSigned(ctx, eventBody(ctx, type, 'display', change)), what,
      { refusedHint: FORWARD }),
  };
}

export function createCompatibilityScenarios(): Scenario[] {
  return [
    compatible('compat-unknown-event_type', 'unknown event_type is accepted (forward compatibility)',
      'an event with an event_type it does not know', 'policy_violation',
      (e) => ({ ...e, event_type: 'policy_data_retention_exceeded', title: 'Data retention period exceeded for Email' })),
    compatible('compat-unknown-fields', 'unknown extra json fields are accepted (forward compatibility)',
      'an event with fields it does not know', 'anomaly_detected',
      (e) => ({ ...e, risk_score: 87, remediation: { owner: 'platform-security', steps: ['Review the flow', 'Restrict access'] }, labels: null })),
    compatible('category-slug-form', 'category in slug form (data_at_risk) is accepted',
      'an event whose category is in slug form', 'excessive_db_access', (e) => ({ ...e, category: 'data_at_risk' })),
    compatible('category-legacy-form', 'category in legacy form (New data type) is accepted',
      'an event whose category is in the legacy form Soveren documents', 'new_data_type', (e) => ({ ...e, category: 'New data type' })),
    compatible('category-legacy-slug-form', 'category in legacy slug form (policy_violations) is accepted',
      'an event whose category is a legacy slug', 'policy_violation', (e) => ({ ...e, category: 'policy_violations' })),
    compatible('category-unknown', 'unknown category is accepted (forward compatibility)',
      'an event with a category it does not know', 'discovery_complete', (e) => ({ ...e, category: 'Compliance' })),
  ];
}

export function createRetryScenario(): Scenario {
  return {
    id: 'retry-same-delivery-twice',
    name: 'retry: the same delivery sent twice is accepted both times',
    group: 'retry',
    required: true,
    expected: '2xx, 2xx',
    async run(ctx) {
      // Byte for byte the same request, as Soveren sends when it did not see the first answer.
      const body = eventBody(ctx, 'new_external_receiver');
      const headers = soverenHeaders(ctx, body);
      const first = await post(ctx, body, headers);
      const firstVerdict = judgeAccepted(first, 'the first copy of a delivery');
      if (firstVerdict.outcome === 'fail') return { ...firstVerdict, got: `${firstVerdict.got}, not sent` };
      const second = await post(ctx, body, headers);
      const verdict = judgeAccepted(second, 'the same delivery sent again (a retry)', {
        refusedHint: ': Soveren retries with identical bytes when it misses an answer; deduplicate if you must, but answer 2xx',
      });
      return { ...verdict, got: `${firstVerdict.got}, ${verdict.got}`, durationMs: Math.max(first.durationMs, second.durationMs) };
    },
  };
}
