// Under a finished scorecard: the run's report as the CLI writes it (JUnit XML, JSON), and the
// command that runs the same check from a terminal or CI, copyable. The command never holds
// a token: it reads $SOVEREN_WEBHOOK_TOKEN, as the CLI does.
import type { CheckRun } from '../../server/common/protocol.ts';
import { formatCheckCommand } from '../../server/common/check-command.ts';
import { CopyButton } from './check-exchange.tsx';

interface Props {
  run: CheckRun;
  reportUrl(id: number, format: 'json' | 'junit'): string;
  sinkTokenRequired: boolean;
}

export function CheckReportActions({ run, reportUrl, sinkTokenRequired }: Props) {
  const command = formatCheckCommand(run.url, run.settings, { sinkTokenRequired });
  const finished = run.state !== 'running';
  return (
    <div class="report-actions" data-testid="check-report-actions">
      <div class="report-actions__row">
        {finished ? (
          <>
            <a class="btn btn--small" href={reportUrl(run.id, 'junit')} download={`check-${run.id}.xml`} data-testid="download-junit">Download JUnit</a>
            <a class="btn btn--small" href={reportUrl(run.id, 'json')} download={`check-${run.id}.json`} data-testid="download-json">Download JSON</a>
          </>
        ) : (
          <span class="muted small">Reports can be downloaded when the run ends.</span>
        )}
        {run.source === 'cli' ? <span class="badge badge--source" title="Run from a terminal with check --db">run from the CLI</span> : null}
      </div>
      <div class="report-actions__row">
        <span class="small muted">Same check from a terminal or CI:</span>
        <code class="report-actions__command" data-testid="check-command">{command}</code>
        <CopyButton text={command} label="Copy command" testId="copy-command" />
      </div>
    </div>
  );
}
