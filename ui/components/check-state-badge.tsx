// Badges of a check run's state and a scenario's outcome.
import type { CheckOutcome, CheckRunSummary } from '../../server/common/protocol.ts';
import { runLabel } from '../state/check-run.ts';

const RUN_TONE: Record<CheckRunSummary['state'], string> = { running: 'run', passed: 'ok', failed: 'err', interrupted: 'other' };

export function CheckStateBadge({ state }: { state: CheckRunSummary['state'] }) {
  return <span class={`badge badge--check-${RUN_TONE[state]}`} data-state={state}>{runLabel(state)}</span>;
}

const OUTCOME_TEXT: Record<CheckOutcome, string> = { pass: 'pass', fail: 'fail', info: 'info' };

export function OutcomeBadge({ outcome }: { outcome: CheckOutcome | null }) {
  if (outcome === null) return <span class="badge badge--check-pending">pending</span>;
  return <span class={`badge badge--outcome-${outcome}`}>{OUTCOME_TEXT[outcome]}</span>;
}
