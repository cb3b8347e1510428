// Conformance check runs: the history (newest first), the run on screen kept current from
// 'check-run' and 'check' stream messages (with a fetch to fill any gap), start and stop.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CheckRun, CheckRunSummary, StreamMessage } from '../../server/common/protocol.ts';
import type { CheckRequest } from '../../server/common/contract/client-type.ts';
import type { Api } from '../api.ts';
import { addCheckResult, mergeCheckRun, updateCheckSummary, upsertRun } from '../state/check-run.ts';

export type CheckMessage = Extract<StreamMessage, { type: 'check' | 'check-run' }>;

export interface Checks {
  runs: CheckRunSummary[] | null;
  selected: CheckRun | null;
  selectedId: number | null;
  error: string | null;
  loadHistory(): void;
  select(id: number | null): void;
  start(req: CheckRequest): Promise<void>;
  stop(): Promise<void>;
  receive(message: CheckMessage): void;
}

export function useChecks(api: Api): Checks {
  const [runs, setRuns] = useState<CheckRunSummary[] | null>(null);
  const [selected, setSelected] = useState<CheckRun | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const selectedRef = useRef<number | null>(null);
  selectedRef.current = selectedId;

  const fetchRun = useCallback(
    (id: number) => {
      api.check(id).then(
        (run) => selectedRef.current === id && setSelected((prev) => (prev && prev.id === id ? mergeCheckRun(prev, run) : run)),
        (err: unknown) => selectedRef.current === id && setError(err instanceof Error ? err.message : String(err)),
      );
    },
    [api],
  );

  const loadHistory = useCallback(() => {
    api.checks().then(
      (page) => setRuns((prev) => (prev ? page.items.reduce(upsertRun, prev) : page.items)),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [api]);

  const select = useCallback(
    (id: number | null) => {
      selectedRef.current = id;
      setSelectedId(id);
      setError(null);
      setSelected((prev) => (prev && prev.id === id ? prev : null));
      if (id !== null) fetchRun(id);
    },
    [fetchRun],
  );

  const start = useCallback(
    async (req: CheckRequest) => {
      const summary = await api.startCheck(req);
      setRuns((prev) => upsertRun(prev ?? [], summary));
      selectedRef.current = summary.id;
      setSelectedId(summary.id);
      setSelected({ ...summary, results: [] });
      fetchRun(summary.id); // results may have streamed before this answer
    },
    [api, fetchRun],
  );

  const stop = useCallback(async () => {
    if (selectedRef.current === null) return;
    const summary = await api.stopCheck(selectedRef.current);
    setRuns((prev) => upsertRun(prev ?? [], summary));
  }, [api]);

  const receive = useCallback(
    (message: CheckMessage) => {
      if (message.type === 'check-run') {
        setRuns((prev) => (prev ? upsertRun(prev, message.run) : prev));
        if (message.run.id !== selectedRef.current) return;
        setSelected((prev) => (prev ? updateCheckSummary(prev, message.run) : prev));
        if (message.run.state !== 'running') fetchRun(message.run.id);
        return;
      }
      if (message.runId !== selectedRef.current) return;
      setSelected((prev) => (prev && prev.id === message.runId ? addCheckResult(prev, message.result) : prev));
    },
    [fetchRun],
  );

  // A safety net while a run is on screen and running: the stream may reconnect mid-run.
  const running = selected?.state === 'running';
  useEffect(() => {
    if (!running || selectedId === null) return;
    const timer = setInterval(() => fetchRun(selectedId), 3000);
    return () => clearInterval(timer);
  }, [running, selectedId, fetchRun]);

  return { runs, selected, selectedId, error, loadHistory, select, start, stop, receive };
}
