// One outbound attempt's answer: status, latency, error, response headers and body. The
// body is the target's words: shown as text only.
import type { Attempt } from '../../server/common/protocol.ts';
import { formatMs } from '../state/format.ts';
import { HeaderTable } from './header-table.tsx';

export function AttemptStatus({ attempt: a }: { attempt: Attempt }) {
  return (
    <span class={`badge badge--status-${a.ok ? 'ok' : 'err'}`} title={a.ok ? (a.status === null ? 'handed over (syslog has no answer)' : 'answered 2xx') : 'not delivered'}>
      {a.status ?? (a.ok ? 'sent' : 'no answer')}
    </span>
  );
}

export function AttemptResponse({ attempt: a }: { attempt: Attempt }) {
  return (
    <>
      {a.error !== null ? <p class="notice notice--error">{a.error}</p> : null}
      {a.responseBody !== null && a.responseBody !== '' ? (
        <pre class="code raw raw--wrap attempt__response" data-testid="response-body">{a.responseBody}</pre>
      ) : a.status !== null ? (
        <p class="muted small">Empty response body.</p>
      ) : null}
      {a.responseHeaders.length ? (
        <details class="attempt__headers">
          <summary>Response headers ({a.responseHeaders.length})</summary>
          <HeaderTable headers={a.responseHeaders} />
        </details>
      ) : null}
    </>
  );
}

/** The result of a replay just made, as the dialog shows it. */
export function AttemptOutcome({ attempt: a }: { attempt: Attempt }) {
  return (
    <div class={`outcome outcome--${a.ok ? 'ok' : 'fail'}`} data-testid="attempt-outcome" data-ok={a.ok ? 'true' : 'false'}>
      <div class="outcome__head">
        <span class="outcome__verdict">{a.ok ? 'Delivered' : 'Not delivered'}</span>
        <AttemptStatus attempt={a} />
        <span class="muted">{formatMs(a.durationMs)}</span>
        <code class="outcome__target">{a.target}</code>
      </div>
      <AttemptResponse attempt={a} />
      <p class="field__hint outcome__note">Recorded in this delivery’s Attempts.</p>
    </div>
  );
}
