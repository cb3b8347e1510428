// Outbound requests the sender made for this delivery (replays, forwards, checks), newest
// last, with the status, what was sent (signing, format, edited body diff) and each answer.
import { useState } from 'preact/hooks';
import type { Attempt } from '../../server/common/protocol.ts';
import { formatFullTime, formatMs } from '../state/format.ts';
import { AttemptResponse, AttemptStatus } from './attempt-outcome.tsx';
import { AttemptSentView } from './attempt-sent.tsx';

function AttemptRow({ attempt: a, storedText }: { attempt: Attempt; storedText: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <li class={`attempt attempt--${a.ok ? 'ok' : 'fail'}`} data-kind={a.kind} data-ok={a.ok ? 'true' : 'false'}>
      <button type="button" class="attempt__line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`chevron${open ? ' chevron--open' : ''}`} />
        <span class="attempt__kind">{a.kind}</span>
        <AttemptStatus attempt={a} />
        <span class="attempt__target">{a.target}</span>
        {a.sent?.editedBody != null ? <span class="badge" title="replay with changes: an edited body was sent">edited</span> : null}
        <span class="attempt__time">{formatMs(a.durationMs)} · {formatFullTime(a.at)}</span>
      </button>
      {open ? (
        <div class="attempt__body">
          <AttemptSentView attempt={a} storedText={storedText} />
          <AttemptResponse attempt={a} />
        </div>
      ) : null}
    </li>
  );
}

/** `storedText`: the delivery's body as text (null when binary), for the diff of an edited replay. */
export function AttemptsList({ attempts, storedText = null }: { attempts: readonly Attempt[]; storedText?: string | null }) {
  if (attempts.length === 0) {
    return <p class="muted">No replays or forwards of this delivery yet.</p>;
  }
  return (
    <ul class="attempts" data-testid="attempts">
      {attempts.map((a) => (
        <AttemptRow key={a.id} attempt={a} storedText={storedText} />
      ))}
    </ul>
  );
}
