// The coverage table from its figures (pure): the 29 documented event types by category,
// then any unknown type seen, each cell with the search that lists its deliveries, and the
// check that makes it a CI gate (`coverage --require all --target URL`).
import type { Coverage, CoverageCategory, CoverageOutcomes, CoverageRow } from '../common/protocol.ts';
import type { CoverageFigures } from '../store/coverage.ts';
import { formatQuery, type FieldTerm } from '../common/query.ts';
import { CATEGORIES, categoryOfEventType } from '../common/catalog.ts';

const NO_CATEGORY = '(none)';

/** The search text for these terms (values quoted as needed). */
function q(...terms: [FieldTerm['field'], string, boolean?][]): string {
  return formatQuery({ fields: terms.map(([field, value, negate]) => ({ field, value, negate: negate ?? false })), words: [] });
}

export function buildCoverage(f: CoverageFigures): Coverage {
  const targets = [...new Set(f.attempts.map((a) => a.target))].sort();
  const sinks = [...new Set(f.outputs.map((o) => o.sink))].filter((s) => s !== '').sort();
  const reached = new Map(f.outputs.map((o) => [JSON.stringify([o.eventType, o.sink]), o.n]));
  // Maps keyed by payload values (event types, facets): never plain objects.
  const received = new Map<string, { received: number; genuine: number; facets: Map<string, number> }>();
  for (const t of f.types) {
    const r = received.get(t.eventType) ?? { received: 0, genuine: 0, facets: new Map<string, number>() };
    r.received += t.received;
    r.genuine += t.genuine;
    const facet = t.facet ?? NO_CATEGORY;
    r.facets.set(facet, (r.facets.get(facet) ?? 0) + t.received);
    received.set(t.eventType, r);
  }
  const sent = new Map(f.sent.map((s) => [s.eventType, s]));
  const attempts = new Map<string, number>();
  for (const a of f.attempts) attempts.set(JSON.stringify([a.eventType, a.kind, a.target, a.ok]), a.n);
  const checked = new Map<string, { outcome: CoverageRow['check'] }>();
  if (f.lastCheck) {
    for (const r of f.lastCheck.results) {
      if (r.id.startsWith('event_type-')) checked.set(r.id.slice('event_type-'.length), { outcome: { runId: f.lastCheck.id, outcome: r.outcome, got: r.got } });
    }
  }

  const rowOf = (eventType: string, category: string, known: boolean): CoverageRow => {
    const r = received.get(eventType);
    const s = sent.get(eventType);
    const type: [FieldTerm['field'], string] = ['event_type', eventType];
    const outcomes = (kind: 'replay' | 'forward', target: string): CoverageOutcomes => ({
      ok: { count: attempts.get(JSON.stringify([eventType, kind, target, true])) ?? 0, query: q(type, ['via', kind], ['target', target], ['attempt', 'ok']) },
      failed: { count: attempts.get(JSON.stringify([eventType, kind, target, false])) ?? 0, query: q(type, ['via', kind], ['target', target], ['attempt', 'failed']) },
    });
    return {
      eventType,
      category,
      known,
      received: { count: r?.received ?? 0, query: q(type) },
      real: { count: (r?.genuine ?? 0) - (s?.genuine ?? 0), query: q(type, ['ua', 'ok'], ['sig', 'valid'], ['sig', 'unchecked'], ['via', 'send', true]) },
      sent: { count: s?.sent ?? 0, query: q(type, ['via', 'send']) },
      targets: targets.map((target) => ({ target, replay: outcomes('replay', target), forward: outcomes('forward', target) })),
      check: checked.get(eventType)?.outcome ?? null,
      siem: {
        any: { count: reached.get(JSON.stringify([eventType, ''])) ?? 0, query: q(type, ['output', 'any']) },
        sinks: sinks.map((sink) => ({ sink, reached: { count: reached.get(JSON.stringify([eventType, sink])) ?? 0, query: q(type, ['output', sink]) } })),
      },
    };
  };

  const categories: CoverageCategory[] = CATEGORIES.map((c) => ({
    facet: c.facet, label: c.display, rows: c.eventTypes.map((t) => rowOf(t, c.facet, true)),
  }));
  // Unknown types, under the facet most of their deliveries came with.
  const unknown = [...received].filter(([t]) => !categoryOfEventType(t)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [eventType, r] of unknown) {
    const facet = [...r.facets].sort((a, b) => b[1] - a[1])[0]![0];
    let group = categories.find((c) => c.facet === facet);
    if (!group) categories.push((group = { facet, label: facet === NO_CATEGORY ? 'No category' : facet, rows: [] }));
    group.rows.push(rowOf(eventType, facet, false));
  }
  const lastCheck = f.lastCheck && { id: f.lastCheck.id, url: f.lastCheck.url, state: f.lastCheck.state, finishedAt: f.lastCheck.finishedAt === null ? null : new Date(f.lastCheck.finishedAt).toISOString() };
  return { targets, lastCheck, sinks, categories };
}

/** Documented types with no successful replay or forward to `target`: what `--require all` fails on. */
export function missingSuccess(coverage: Coverage, target: string): string[] {
  const missing: string[] = [];
  for (const c of coverage.categories) {
    for (const row of c.rows) {
      if (!row.known) continue;
      const t = row.targets.find((x) => x.target === target);
      if (!t || t.replay.ok.count + t.forward.ok.count === 0) missing.push(row.eventType);
    }
  }
  return missing;
}
