// One forwarding target: its health as Soveren would show its own webhook (last success,
// failing with the time left, "failed" after the configured quiet time), counters in
// deliveries with retries apart, show / retry the failed ones, remove.
import type { ForwardTargetHealth } from '../../server/common/protocol.ts';
import { formatAgo, formatCount, formatFullTime } from '../state/format.ts';
import { describeForwardHealth } from '../state/forward-health.ts';

interface Props {
  target: ForwardTargetHealth;
  failAfterMs: number;
  onRemove(): void;
  /** Set the search to this target's failed forwards. */
  onShowFailed?(): void;
  /** Forward this target's failed deliveries again. */
  onRetryFailed?(): void;
  busy: boolean;
}

function When({ at }: { at: string | null }) {
  return at === null ? <span class="muted">never</span> : <span title={formatFullTime(at)}>{formatAgo(at)}</span>;
}

export function ForwardTargetRow({ target: t, failAfterMs, onRemove, onShowFailed, onRetryFailed, busy }: Props) {
  const health = describeForwardHealth(t, failAfterMs);
  return (
    <li class={`ftarget ftarget--${health.tone}`} data-testid="forward-target" data-tone={health.tone}>
      <div class="ftarget__head">
        <span class={`health health--${health.tone}`} title={health.detail}>
          <span class="health__dot" />
          {health.label}
        </span>
        <code class="ftarget__url">{t.url}</code>
        {t.format !== 'soveren' ? <span class="badge" title="Payload format">{t.format.toUpperCase()}</span> : null}
        <button type="button" class="btn btn--small btn--danger" disabled={busy} onClick={onRemove} aria-label={`Remove ${t.url}`}>
          Remove
        </button>
      </div>
      <p class="ftarget__detail">{health.detail}</p>
      <dl class="stats stats--small">
        <div><dt>Last success</dt><dd><When at={t.lastSuccessAt} /></dd></div>
        <div><dt>Forwarded</dt><dd data-testid="forward-ok">{formatCount(t.forwarded)}</dd></div>
        <div title="deliveries whose last try failed"><dt>Failed deliveries</dt><dd class={t.failed ? 'stats__fail' : ''} data-testid="forward-failed">{formatCount(t.failed)}</dd></div>
        <div title="tries beyond the first (--forward-retries), whatever their outcome"><dt>Retries</dt><dd data-testid="forward-retries">{formatCount(t.retries)}</dd></div>
        <div><dt>Queued</dt><dd>{formatCount(t.queued + t.inFlight)}</dd></div>
        {t.dropped ? <div><dt>Dropped</dt><dd class="stats__fail">{formatCount(t.dropped)}</dd></div> : null}
      </dl>
      {t.failed > 0 && (onShowFailed || onRetryFailed) ? (
        <div class="ftarget__actions">
          {onShowFailed ? <button type="button" class="btn btn--small" onClick={onShowFailed}>Show the failed ones</button> : null}
          {onRetryFailed ? <button type="button" class="btn btn--small" disabled={busy} onClick={onRetryFailed}>Retry failed</button> : null}
        </div>
      ) : null}
      {t.consecutiveFailures > 0 && (t.lastError !== null || t.lastStatus !== null) ? (
        <p class="notice notice--error">
          Last failure <When at={t.lastFailureAt} />: {t.lastError ?? `answered ${t.lastStatus}`}
        </p>
      ) : null}
    </li>
  );
}
