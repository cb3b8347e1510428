// Bulk replay of every delivery matching the current filter: target and signing, a
// confirmation that says how many, then live progress from the stream with a stop button;
// when some failed, "show the failed ones" (a search) and "retry failed" (exactly those).
import { useState } from 'preact/hooks';
import type { BulkJob } from '../hooks/use-bulk-job.ts';
import { failedQuery } from '../../server/common/query.ts';
import { formatCount } from '../state/format.ts';
import { describeBadSigning, signingFields, type SigningInput } from '../state/signing.ts';
import { describeBadSiem, EMPTY_SIEM_INPUT, formatLabel, FORMATS_BY_KIND, siemFields, targetKind, TRANSPORT_LABELS, type SiemInput } from '../state/siem-target.ts';
import { describeBadDeliveryTarget } from '../state/targets.ts';
import { JobProgress } from './job-progress.tsx';
import { Modal } from './modal.tsx';
import { SiemFields } from './siem-fields.tsx';
import { SigningFields } from './signing-fields.tsx';
import { TargetField } from './target-field.tsx';

interface Props {
  bulk: BulkJob;
  q: string;
  /** Deliveries matching q (facets total), or undefined while unknown. */
  total: number | undefined;
  recent: readonly string[];
  onRemember(url: string): void;
  onClose(): void;
  /** Set the search (closing the dialog): "show the failed ones". */
  onShowQuery?(q: string): void;
}

/** The API replays at most this many per job. */
const MAX_JOB = 10_000;

export function BulkReplayDialog({ bulk, q, total, recent, onRemember, onClose, onShowQuery }: Props) {
  const [target, setTarget] = useState(recent[0] ?? '');
  const [signing, setSigning] = useState<SigningInput>({ choice: 'keep', token: '' });
  const [siem, setSiem] = useState<SiemInput>(EMPTY_SIEM_INPUT);
  const [concurrency, setConcurrency] = useState(1);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const count = Math.min(total ?? 0, MAX_JOB);
  const what = q ? <>matching <code>{q}</code></> : <>stored</>;
  const kind = targetKind(target);
  const toSiem = kind !== null && kind !== 'http';

  const review = () => {
    const bad = describeBadDeliveryTarget(target) ?? (toSiem ? describeBadSiem(kind, siem) : describeBadSigning(signing)) ?? (count === 0 ? 'No deliveries match the filter.' : null);
    setProblem(bad);
    if (!bad) setConfirming(true);
  };

  const start = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await bulk.start({ q, target: target.trim(), ...(toSiem ? siemFields(kind, siem) : signingFields(signing)), concurrency, limit: Math.max(1, count) });
      onRemember(target.trim());
      setSiem((s) => ({ ...s, hecToken: '', elasticApiKey: '' }));
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const retry = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await bulk.retryFailed();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (bulk.job) {
    const running = bulk.job.state === 'running';
    return (
      <Modal title="Bulk replay" onClose={onClose} testId="bulk-dialog">
        <JobProgress job={bulk.job} onStop={() => void bulk.stop()} />
        <p class="field__hint">
          {running ? 'You can close this dialog: the replay goes on, and its progress stays in the toolbar.' : null}
        </p>
        {!running && bulk.job.failed > 0 ? (
          <div class="job__failures" data-testid="bulk-failures">
            <span>{formatCount(bulk.job.failed)} failed.</span>
            {onShowQuery ? (
              <button type="button" class="btn btn--small" data-testid="show-failed" onClick={() => onShowQuery(failedQuery('replay', bulk.job!.target))}>
                Show the failed ones
              </button>
            ) : null}
            <button type="button" class="btn btn--small btn--primary" data-testid="retry-failed" disabled={busy} onClick={() => void retry()}>
              Retry failed
            </button>
          </div>
        ) : null}
        {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
        <div class="modal__actions">
          {running ? null : (
            <button type="button" class="btn" onClick={bulk.dismiss}>New bulk replay</button>
          )}
          <button type="button" class="btn btn--primary" onClick={onClose}>Close</button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title="Replay matching deliveries" onClose={onClose} testId="bulk-dialog">
      {confirming ? (
        <div class="confirm-step">
          <p data-testid="bulk-confirm-text">
            Replay <strong>{formatCount(count)}</strong> deliver{count === 1 ? 'y' : 'ies'} {what} to <code>{target.trim()}</code>, oldest first,{' '}
            {toSiem
              ? `as ${formatLabel(siem.format === '' ? FORMATS_BY_KIND[kind][0]! : siem.format)} to ${TRANSPORT_LABELS[kind]}`
              : signing.choice === 'token' ? 'each signed afresh with your token' : signing.choice === 'keep' ? 'each with its received signature' : 'unsigned'}?
          </p>
          {total !== undefined && total > MAX_JOB ? (
            <p class="notice notice--warn">{formatCount(total)} match; one bulk replay sends the oldest {formatCount(MAX_JOB)}.</p>
          ) : null}
          <p class="field__hint">Every request is recorded as an attempt on its delivery.</p>
          {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
          <div class="modal__actions">
            <button type="button" class="btn" onClick={() => setConfirming(false)}>Back</button>
            <button type="button" class="btn btn--primary" data-testid="bulk-start" disabled={busy} onClick={() => void start()}>
              {busy ? 'Starting…' : `Replay ${formatCount(count)}`}
            </button>
          </div>
        </div>
      ) : (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            review();
          }}
        >
          <p class="form__lead">
            {total === undefined ? 'Counting…' : <><strong>{formatCount(total)}</strong> deliveries {what}.</>}
          </p>
          <TargetField label="Target URL" value={target} recent={recent} onChange={setTarget} autofocus />
          {toSiem ? <SiemFields kind={kind} value={siem} onChange={setSiem} secretHint="Used for this bulk replay only: not stored, not shown again." /> : <SigningFields value={signing} onChange={setSigning} allowKeep />}
          <div class="field field--inline">
            <label class="field__label" for="bulk-concurrency">In flight</label>
            <select id="bulk-concurrency" class="input input--narrow" value={String(concurrency)} onChange={(e) => setConcurrency(Number(e.currentTarget.value))}>
              {[1, 2, 4, 8, 16].map((n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
            <span class="field__hint">1 keeps the original order</span>
          </div>
          {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
          <div class="modal__actions">
            <button type="button" class="btn" onClick={onClose}>Cancel</button>
            <button type="submit" class="btn btn--primary" disabled={total === 0}>Review…</button>
          </div>
        </form>
      )}
    </Modal>
  );
}
