// The figures behind the coverage table, read from what is kept exact on write: counts per
// event type and verdicts (delivery_counts), attempts per event type, kind, target and
// outcome (attempt_counts), the built-in sender's deliveries (its `send` attempts), the
// latest finished check run, and deliveries whose outputs reached a SIEM sink. Each is a few hundred rows, whatever the number of deliveries.
import type { Db } from './db.ts';
import type { CheckResult } from '../common/protocol.ts';

export interface CoverageFigures {
  /** Per event type and category facet: all deliveries, and those from a genuine sender (user agent ok, signature valid or unchecked). */
  types: { eventType: string; facet: string | null; received: number; genuine: number }[];
  /** Per event type: deliveries the built-in sender made, and how many of them look genuine. */
  sent: { eventType: string; sent: number; genuine: number }[];
  /** Replay and forward attempts per event type, target and outcome. */
  attempts: { eventType: string; kind: 'replay' | 'forward'; target: string; ok: boolean; n: number }[];
  lastCheck: { id: number; url: string; state: string; finishedAt: number | null; results: CheckResult[] } | null;
  /** Per event type and SIEM sink ('' for any): deliveries with an output linked to them. */
  outputs: { eventType: string; sink: string; n: number }[];
}

export function createCoverageReads(db: Db) {
  const types = db.prepare(`SELECT event_type AS eventType, category_facet AS facet, sum(n) AS received,
      sum(CASE WHEN user_agent = 'ok' AND signature IN ('valid', 'unchecked') THEN n ELSE 0 END) AS genuine
    FROM delivery_counts WHERE event_type IS NOT NULL AND n > 0 GROUP BY event_type, category_facet`);
  const sent = db.prepare(`SELECT d.event_type AS eventType, count(DISTINCT d.id) AS sent,
      count(DISTINCT CASE WHEN d.user_agent = 'ok' AND d.signature IN ('valid', 'unchecked') THEN d.id END) AS genuine
    FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
    WHERE a.kind = 'send' AND d.event_type IS NOT NULL GROUP BY d.event_type`);
  const attempts = db.prepare(`SELECT event_type AS eventType, kind, target, ok, n FROM attempt_counts
    WHERE n > 0 AND event_type != '' AND kind IN ('replay', 'forward')`);
  // Reads the outputs linked to a delivery (as many as the SIEM sinks received).
  // Sink '' is any sink: a delivery that reached two sinks counts once there.
  const outputs = db.prepare(`SELECT d.event_type AS eventType, o.sink AS sink, count(DISTINCT o.delivery_id) AS n
    FROM outputs o JOIN deliveries d ON d.id = o.delivery_id
    WHERE o.delivery_id IS NOT NULL AND d.event_type IS NOT NULL GROUP BY 1, 2
    UNION ALL
    SELECT d.event_type, '', count(DISTINCT o.delivery_id)
    FROM outputs o JOIN deliveries d ON d.id = o.delivery_id
    WHERE o.delivery_id IS NOT NULL AND d.event_type IS NOT NULL GROUP BY 1`);
  const lastCheck = db.prepare(`SELECT id, url, state, finished_at AS finishedAt, results FROM check_runs
    WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1`);

  /** One read transaction: every figure from the same moment. */
  const read = db.transaction((): CoverageFigures => {
    const check = lastCheck.get() as { id: number; url: string; state: string; finishedAt: number | null; results: string } | undefined;
    return {
      types: types.all() as CoverageFigures['types'],
      sent: sent.all() as CoverageFigures['sent'],
      attempts: (attempts.all() as { eventType: string; kind: 'replay' | 'forward'; target: string; ok: number; n: number }[]).map((r) => ({ ...r, ok: r.ok === 1 })),
      lastCheck: check ? { ...check, results: JSON.parse(check.results) as CheckResult[] } : null,
      outputs: outputs.all() as CoverageFigures['outputs'],
    };
  });

  return { read };
}
