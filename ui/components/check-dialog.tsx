// The conformance check panel: history of runs on the left; on the right a new check's
// form or a run's live scorecard.
import { useEffect, useState } from 'preact/hooks';
import type { SinkHealth } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import type { Checks } from '../hooks/use-checks.ts';
import { CheckForm } from './check-form.tsx';
import { CheckHistory } from './check-history.tsx';
import { CheckScorecard } from './check-scorecard.tsx';
import { Modal } from './modal.tsx';

interface Props {
  api: Api;
  checks: Checks;
  recent: readonly string[];
  sinks: SinkHealth | null;
  onRemember(url: string): void;
  onClose(): void;
}

export function CheckDialog({ api, checks, recent, sinks, onRemember, onClose }: Props) {
  const [creating, setCreating] = useState(checks.selectedId === null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => checks.loadHistory(), [checks.loadHistory]);

  const run = checks.selected;
  // The run on screen has live counts; the history's copy only changes when a run ends.
  const runs = run && checks.runs ? checks.runs.map((r) => (r.id === run.id ? { ...r, state: run.state, counts: run.counts } : r)) : checks.runs;
  return (
    <Modal title="Connector conformance check" onClose={onClose} size="xl" testId="check-dialog">
      <div class="check-layout">
        <CheckHistory
          runs={runs}
          selectedId={creating ? null : checks.selectedId}
          creating={creating}
          onNew={() => setCreating(true)}
          onSelect={(id) => {
            setCreating(false);
            checks.select(id);
          }}
        />
        <div class="check-main">
          {creating ? (
            <CheckForm
              api={api}
              recent={recent}
              sinks={sinks}
              onStart={async (req) => {
                await checks.start(req);
                onRemember(req.url);
                setCreating(false);
              }}
            />
          ) : run ? (
            <CheckScorecard
              key={run.id}
              run={run}
              reportUrl={api.checkReportUrl}
              sinkTokenRequired={sinks?.tokenRequired ?? false}
              onStop={() => checks.stop().catch((err: unknown) => setProblem(err instanceof Error ? err.message : String(err)))}
            />
          ) : (
            <p class={checks.error ? 'notice notice--error' : 'muted'}>{checks.error ?? 'Loading…'}</p>
          )}
          {problem ? <p class="notice notice--error">{problem}</p> : null}
        </div>
      </div>
    </Modal>
  );
}
