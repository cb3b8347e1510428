// Check runs table: the history of conformance checks started from the API (results appended
// as they land) or recorded whole by `check --db` from a terminal. Keeps the newest MAX_CHECK_RUNS runs.
import type { Db } from './db.ts';
import type { CheckCounts, CheckResult, CheckRun, CheckRunSummary, CheckScenarioInfo, CheckSettings } from '../common/protocol.ts';

export const MAX_CHECK_RUNS = 200;

interface RunRow {
  id: number;
  source: CheckRunSummary['source'];
  url: string;
  state: CheckRunSummary['state'];
  started_at: number;
  finished_at: number | null;
  settings: string;
  planned: string;
  results?: string;
  passed: number;
  failed: number;
  info: number;
}

const SUMMARY_COLUMNS = 'id, source, url, state, started_at, finished_at, settings, planned, passed, failed, info';

function toSummary(r: RunRow): CheckRunSummary {
  const counts: CheckCounts = { total: r.passed + r.failed + r.info, passed: r.passed, failed: r.failed, info: r.info };
  return {
    id: r.id,
    source: r.source,
    url: r.url,
    state: r.state,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
    planned: JSON.parse(r.planned) as CheckScenarioInfo[],
    counts,
    settings: JSON.parse(r.settings) as CheckSettings,
  };
}

export type CheckRunStore = ReturnType<typeof createCheckRunStore>;

export function createCheckRunStore(db: Db) {
  const insert = db.prepare('INSERT INTO check_runs (url, state, started_at, settings, planned) VALUES (?, ?, ?, ?, ?)');
  const pruneOld = db.prepare(`DELETE FROM check_runs WHERE id <= (SELECT id FROM check_runs ORDER BY id DESC LIMIT 1 OFFSET ${MAX_CHECK_RUNS})`);
  const append = db.prepare(`UPDATE check_runs SET results = json_insert(results, '$[#]', json(?)),
    passed = passed + ?, failed = failed + ?, info = info + ? WHERE id = ?`);
  const finishRun = db.prepare('UPDATE check_runs SET state = ?, finished_at = ? WHERE id = ? AND state = \'running\'');
  const interruptAll = db.prepare("UPDATE check_runs SET state = 'interrupted', finished_at = ? WHERE state = 'running'");
  const byId = db.prepare('SELECT * FROM check_runs WHERE id = ?');
  const summaryById = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM check_runs WHERE id = ?`);
  const page = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM check_runs WHERE id < ? ORDER BY id DESC LIMIT ?`);
  const newer = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM check_runs WHERE id > ? ORDER BY id LIMIT ?`);
  const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM check_runs').pluck();
  const insertWhole = db.prepare(`INSERT INTO check_runs (source, url, state, started_at, finished_at, settings, planned, results, passed, failed, info)
    VALUES ('cli', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const start = db.transaction((run: { url: string; startedAt: number; settings: CheckSettings; planned: CheckScenarioInfo[] }): number => {
    const id = Number(insert.run(run.url, 'running', run.startedAt, JSON.stringify(run.settings), JSON.stringify(run.planned)).lastInsertRowid);
    pruneOld.run();
    return id;
  });

  /** A finished run recorded in one go (`check --db` from a terminal); returns its id. */
  const recordFinished = db.transaction((run: CheckRun & { state: 'passed' | 'failed' | 'interrupted'; finishedAt: string }): number => {
    const id = Number(insertWhole.run(run.url, run.state, Date.parse(run.startedAt), Date.parse(run.finishedAt), JSON.stringify(run.settings),
      JSON.stringify(run.planned), JSON.stringify(run.results), run.counts.passed, run.counts.failed, run.counts.info).lastInsertRowid);
    pruneOld.run();
    return id;
  });

  return {
    /** A new run in state `running`; returns its id. */
    start,
    recordFinished: (run: Parameters<typeof recordFinished>[0]) => recordFinished.immediate(run),
    /** Runs after `id`, oldest first: what other processes recorded (serve shows them). */
    listAfter(id: number, limit: number): CheckRunSummary[] {
      return (newer.all(id, limit) as RunRow[]).map(toSummary);
    },
    lastId: () => maxId.get() as number,
    appendResult(id: number, result: CheckResult): void {
      append.run(JSON.stringify(result), result.outcome === 'pass' ? 1 : 0, result.outcome === 'fail' ? 1 : 0,
        result.outcome === 'info' ? 1 : 0, id);
    },
    finish(id: number, state: 'passed' | 'failed' | 'interrupted', finishedAt: number): void {
      finishRun.run(state, finishedAt, id);
    },
    /** Runs left `running` by a process that stopped mid-run. */
    interruptRunning(at: number): number {
      return interruptAll.run(at).changes;
    },
    summary(id: number): CheckRunSummary | undefined {
      const r = summaryById.get(id) as RunRow | undefined;
      return r && toSummary(r);
    },
    get(id: number): CheckRun | undefined {
      const r = byId.get(id) as RunRow | undefined;
      return r && { ...toSummary(r), results: JSON.parse(r.results ?? '[]') as CheckResult[] };
    },
    /** Newest first, ids below `before`. */
    list(limit: number, before = Number.MAX_SAFE_INTEGER): CheckRunSummary[] {
      return (page.all(before, limit) as RunRow[]).map(toSummary);
    },
  };
}
