// Query: with 1M stored deliveries (seeded straight through the store), p50/p99 over HTTP
// of the filtered list (category + event_type, newest 100), the outcome and time fields
// (replay:, forward:, attempt:, after:, before:; 2% of deliveries get attempts first),
// free-text search (q), facet counts (unfiltered and filtered) and the histogram (from the
// buckets kept on write) and the coverage table. Requests go one at a time over keep-alive, as the UI sends them.
// Prints figures, never fails.
// Env: BENCH_QUERY_ROWS (default 1,000,000), BENCH_QUERY_REPEAT (per query kind, default 300),
// BENCH_SEEDED_DB (reuse a database seeded by an earlier bench in the same run).
import { Agent, request } from 'node:http';
import { startChild } from './lib/child.ts';
import { CATEGORIES } from '../server/common/catalog.ts';
import { seededDatabase } from './lib/seed.ts';
import { openDatabase } from '../server/store/db.ts';
import { createAttemptStore } from '../server/store/attempts.ts';
import { envInt, heading, line, ms, num, record, summarize } from './lib/report.ts';

const ROWS = envInt('BENCH_QUERY_ROWS', 1_000_000);
const REPEAT = envInt('BENCH_QUERY_REPEAT', 300);

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const sideAgent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(url: string, via = agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: via }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

export async function benchQuery(): Promise<void> {
  heading(`query: ${num(ROWS)} stored deliveries, ${REPEAT} requests per kind over HTTP`);
  const seeded = seededDatabase(ROWS);
  seedAttempts(seeded.file);
  // The server in its own process, as in use: not sharing a heap and an event loop with the
  // seeding (gigabytes of garbage) and the client.
  const inspector = await startChild<{ uiUrl: string }>('servers/inspector.ts', [seeded.file, String(Math.max(ROWS * 2, 100_000))]);
  try {
    const api = `${inspector.ready.uiUrl}api/`;
    const pairs = CATEGORIES.flatMap((c) => c.eventTypes.map((t) => [c.facet, t] as const));
    const words = ['stripe', 'passport', 'checkout payments', 'anomaly', 'orders-db', 'sendgrid', 'IBAN', 'excess*', 'kafka user-signups', 'nothingmatchesthis'];

    const time = async (label: string, urls: string[], repeat = REPEAT) => {
      // Warm the statement cache and the page cache with one pass, as a used UI would have.
      for (const u of urls.slice(0, Math.min(urls.length, repeat, 30))) await get(u);
      const samples: number[] = [];
      const perUrl = new Map<string, number[]>();
      let items = 0;
      for (let i = 0; i < repeat; i++) {
        const url = urls[i % urls.length]!;
        const t = performance.now();
        const res = await get(url);
        samples.push(performance.now() - t);
        perUrl.set(url, [...(perUrl.get(url) ?? []), samples.at(-1)!]);
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.body.slice(0, 200)}`);
        if (i < urls.length) items += (JSON.parse(res.body) as { items?: unknown[] }).items?.length ?? 0;
      }
      const pages = Math.min(repeat, urls.length);
      const s = summarize(samples);
      line(label, `p50 ${ms(s.p50, 2)}, p99 ${ms(s.p99, 2)}, max ${ms(s.max, 1)}${items ? ` (${num(items / pages)} items/page)` : ''}`);
      if (urls.length > 1 && s.p99 > 5 * s.p50) {
        // A few slow requests: say which, so the tail is not a mystery.
        const slowest = [...perUrl].map(([u, xs]) => [new URL(u).search, summarize(xs).p50] as const).sort((x, y) => y[1] - x[1]).slice(0, 2);
        line('  slowest (median)', slowest.map(([q, t]) => `${decodeURIComponent(q)} ${ms(t, 1)}`).join('; '));
      }
      return s;
    };

    // The floor on this machine right now: an HTTP round trip that touches no table.
    await time('baseline: GET /api/health (no query)', [`${api}health`]);
    const list = await time('filtered list: category + event_type, newest 100', pairs.map(([c, t]) => `${api}deliveries?category=${c}&event_type=${t}&limit=100`));
    const deep = await time('  same, page 5 (before cursor)', await Promise.all(pairs.slice(0, 10).map(async ([c, t]) => {
      let next: number | null = null;
      for (let p = 0; p < 4; p++) next = (JSON.parse((await get(`${api}deliveries?category=${c}&event_type=${t}&limit=100${next ? `&before=${next}` : ''}`)).body) as { next: number | null }).next;
      return `${api}deliveries?category=${c}&event_type=${t}&limit=100${next ? `&before=${next}` : ''}`;
    })));
    const text = await time('free text q (newest 100)', words.map((w) => `${api}deliveries?q=${encodeURIComponent(w)}&limit=100`));
    const textFiltered = await time('  free text + category filter', words.map((w, i) => `${api}deliveries?q=${encodeURIComponent(w)}&category=${pairs[i * 3]![0]}&limit=100`));
    const facets = await time('facet counts, unfiltered', [`${api}facets`]);
    const facetsFiltered = await time('facet counts, category + event_type filter', pairs.map(([c, t]) => `${api}facets?category=${c}&event_type=${t}`));
    const facetsOne = await time('facet counts, sig:invalid filter', [`${api}facets?q=sig:invalid`, `${api}facets?q=-sensitivity:Low`]);
    const facetsText = await time('facet counts, free text (informational)', words.slice(0, 4).map((w) => `${api}facets?q=${encodeURIComponent(w)}`), 8);

    const outcomeQueries = ['replay:ok', 'replay:failed', 'replay:none', 'forward:failed', 'forward:none', '-forward:none',
      'attempt:5xx', 'attempt:401', 'attempt:timeout', 'attempt:2xx category:data_at_risk', 'replay:failed event_type:anomaly_detected'];
    const outcomes = await time('outcome fields (replay:, forward:, attempt:), newest 100', outcomeQueries.map((q) => `${api}deliveries?q=${encodeURIComponent(q)}&limit=100`));
    const timeQueries = ['after:15m', 'after:2h', 'after:1d', 'before:1d', 'before:6d', 'after:3d before:2d', 'after:5d before:4d category:other', 'before:3d sig:invalid'];
    const times = await time('time fields (after:, before:), newest 100', timeQueries.map((q) => `${api}deliveries?q=${encodeURIComponent(q)}&limit=100`));

    // The histogram the UI loads with every filter change: from the buckets kept on write.
    const histQuick = await time('histogram, unfiltered (buckets)', [`${api}histogram`]);
    const histFiltered = await time('histogram, field filters (buckets)', [
      ...pairs.slice(0, 20).map(([c, t]) => `${api}histogram?category=${c}&event_type=${t}`),
      `${api}histogram?q=sig:invalid`, `${api}histogram?q=-sensitivity:Low`, `${api}histogram?q=${encodeURIComponent('path:/hooks/soveren ua:mismatch')}`,
    ]);

    // The coverage table (issue 15): from counts kept on write, whatever the number of rows.
    const coverage = await time('coverage (GET /api/coverage)', [`${api}coverage`]);

    // With free text the histogram reads every matching row; it runs on the reader thread, so
    // the event loop (which also answers the receiver) keeps serving: health round trips meanwhile.
    const histogram = await time('histogram, free text (reader thread)', [`${api}histogram?q=stripe`], 5);
    let histogramsDone = false;
    const during: number[] = [];
    const pinging = (async () => {
      while (!histogramsDone) {
        const t = performance.now();
        await get(`${api}health`, sideAgent);
        during.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    for (let i = 0; i < 3; i++) await get(`${api}histogram?q=stripe`);
    histogramsDone = true;
    await pinging;
    const stall = summarize(during);
    line('  GET /api/health meanwhile', `p50 ${ms(stall.p50, 2)}, p99 ${ms(stall.p99, 2)}, max ${ms(stall.max, 1)} (${during.length} requests)`);

    const listP99 = Math.max(list.p99, deep.p99);
    const facetP99 = Math.max(facets.p99, facetsFiltered.p99, facetsOne.p99);
    record({ bench: 'query', metric: `filtered list p50 / p99 (${num(ROWS)} rows)`, value: `${ms(list.p50, 2)} / ${ms(listP99, 2)}`, target: 'p99 <= 5 ms', met: listP99 <= 5 });
    record({ bench: 'query', metric: 'facet counts p50 / p99 (unfiltered + filtered)', value: `${ms(Math.max(facets.p50, facetsFiltered.p50), 2)} / ${ms(facetP99, 2)}`, target: 'p99 <= 5 ms', met: facetP99 <= 5 });
    record({ bench: 'query', metric: 'free-text q p50 / p99', value: `${ms(text.p50, 2)} / ${ms(Math.max(text.p99, textFiltered.p99), 2)}`, target: 'p99 <= 50 ms', met: Math.max(text.p99, textFiltered.p99) <= 50 });
    const fieldsP99 = Math.max(outcomes.p99, times.p99);
    record({ bench: 'query', metric: 'outcome + time fields list p50 / p99', value: `${ms(Math.max(outcomes.p50, times.p50), 2)} / ${ms(fieldsP99, 2)}`, target: 'p99 <= 5 ms', met: fieldsP99 <= 5 });
    const histP99 = Math.max(histQuick.p99, histFiltered.p99);
    record({ bench: 'query', metric: 'histogram p50 / p99 (unfiltered + field filters)', value: `${ms(Math.max(histQuick.p50, histFiltered.p50), 2)} / ${ms(histP99, 2)}`, target: 'p99 <= 50 ms', met: histP99 <= 50 });
    record({ bench: 'query', metric: 'coverage p50 / p99', value: `${ms(coverage.p50, 2)} / ${ms(coverage.p99, 2)}`, target: 'p99 <= 50 ms', met: coverage.p99 <= 50 });
    record({ bench: 'query', metric: 'health round trip while free-text histograms run, p99 / max', value: `${ms(stall.p99, 1)} / ${ms(stall.max, 1)} (histogram p50 ${ms(histogram.p50, 0)})`, target: '-', met: null });
    record({ bench: 'query', metric: 'facet counts with free text (informational)', value: `${ms(facetsText.p50, 1)} / ${ms(facetsText.p99, 1)}`, target: '-', met: null });
  } finally {
    agent.destroy();
    sideAgent.destroy();
    await inspector.stop();
    seeded.cleanup();
  }
}

/**
 * Replays and forwards for 2% of the deliveries (spread over the table), through the
 * attempt store as the sender records them: what replay:, forward: and attempt: select.
 */
function seedAttempts(file: string): void {
  const db = openDatabase(file);
  const attempts = createAttemptStore(db);
  const maxId = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'), 0)").pluck().get() as number;
  const already = db.prepare('SELECT count(*) FROM attempts').pluck().get() as number;
  if (already > 0) {
    db.close(); // a shared database seeded by an earlier run
    return;
  }
  const statuses = [200, 200, 200, 202, 500, 503, 401, null];
  const started = performance.now();
  db.transaction(() => {
    for (let id = 7, i = 0; id <= maxId; id += 50, i++) {
      const status = statuses[i % statuses.length]!;
      attempts.record({
        deliveryId: id, kind: i % 3 === 0 ? 'forward' : 'replay', target: 'http://127.0.0.1:9/hook', status,
        ok: status !== null && status < 300, durationMs: 3, error: status === null ? 'timed out after 10000 ms' : null,
        at: new Date().toISOString(), responseHeaders: [], responseBody: null,
      });
    }
  })();
  line('seeded attempts', `${num(maxId / 50)} (2% of deliveries) in ${ms(performance.now() - started, 0)}`);
  db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchQuery();
