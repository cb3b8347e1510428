// The new query fields use their indexes (issue 15: filtered list p99 <= 5 ms at 1M rows):
// the plans of the statements the store really runs, with the parameters it binds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/db.ts';
import { createDeliveryStore } from '../../server/store/deliveries.ts';
import { createAttemptStore } from '../../server/store/attempts.ts';
import { analyzeRequest } from '../../server/receiver/analyze.ts';
import { parseQuery } from '../../server/common/query.ts';

const dir = mkdtempSync(join(tmpdir(), 'si-plans-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('query plans of the outcome and time fields', () => {
  it('walk the outcome, attempt and id indexes, never the whole table', () => {
    const db = openDatabase(join(dir, 'x.db'));
    const store = createDeliveryStore(db, { maxDeliveries: 1000 });
    const policy = { tokens: [], requireUserAgent: false, acceptInvalid: false, acceptStatus: 200 };
    const at = (receivedAt: number) => analyzeRequest({ receivedAt, method: 'POST', url: '/', remoteAddress: null, rawHeaders: [], body: Buffer.from('{"title":"x"}') }, policy);
    store.insertBatch([at(Date.now() - 7_200_000), at(Date.now() - 1_800_000), at(Date.now())]);
    createAttemptStore(db).record({ deliveryId: 1, kind: 'replay', target: 'http://t/', status: 500, ok: false, durationMs: 1, error: null, at: new Date().toISOString(), responseHeaders: [], responseBody: null });
    const plans = (q: string): string => {
      const seen: { sql: string; params: unknown[] }[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => {
        const statement = prepare(sql);
        const all = statement.all.bind(statement);
        return Object.assign(statement, { all: (...params: unknown[]) => (seen.push({ sql, params }), all(...params)) });
      }) as typeof db.prepare;
      try {
        // A store of its own: a fresh statement cache, so the list statement is prepared here.
        createDeliveryStore(db, { maxDeliveries: 1000 }).list(parseQuery(q), { limit: 101 });
      } finally {
        db.prepare = prepare;
      }
      const { sql, params } = seen.at(-1)!;
      return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    };
    expect(plans('replay:failed')).toMatch(/USING INDEX deliveries_replay \(replay_outcome=\?\)/);
    // The type and category are checked in the index: no row read for entries that do not match.
    expect(plans('replay:failed event_type:anomaly_detected category:data_at_risk')).toMatch(/USING (COVERING )?INDEX deliveries_replay \(replay_outcome=\?\)/);
    expect(plans('-forward:none')).toMatch(/USING (COVERING )?INDEX deliveries_forwarded/);
    expect(plans('-replay:none')).toMatch(/USING (COVERING )?INDEX deliveries_replayed/);
    expect(plans('attempt:5xx')).toMatch(/attempts USING (COVERING )?INDEX attempts_status_class \(status_class=\?\)/);
    expect(plans('attempt:503')).toMatch(/attempts USING (COVERING )?INDEX attempts_status \(status=\?\)/);
    expect(plans('via:replay target:http://t/ attempt:failed')).toMatch(/attempts USING INDEX attempts_target \(target=\? AND kind=\?\)/);
    expect(plans('after:1h before:5m')).toMatch(/SEARCH deliveries USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    for (const q of ['replay:ok', '-replay:none', '-forward:none', 'attempt:timeout', 'after:15m']) expect(plans(q), q).not.toMatch(/TEMP B-TREE|SCAN deliveries\b(?! USING)/); // a scan of a partial index is fine
    db.close();
  });
});
