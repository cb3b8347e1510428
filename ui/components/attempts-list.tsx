// Outbound requests the sender made for this delivery (replays, forwards, checks), newest
// last, with the status and the start of each answer.
import { useState } from 'preact/hooks';
import type { Attempt } from '../../server/shared/protocol.ts';
import { formatFullTime, formatMs } from '../state/format.ts';
import { AttemptResponse, AttemptStatus } from './attempt-outcome.tsx';

function AttemptRow({ attempt: a }: { attempt: Attempt }) {
  const [open, setOpen] = useState(false);
  return (
    <li class={`attempt attempt--${a.ok ? 'ok' : 'fail'}`} data-kind={a.kind} data-ok={a.ok ? 'true' : 'false'}>
      <button type="button" class="attempt__line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`chevron${open ? ' chevron--open' : ''}`} />
        <span class="attempt__kind">{a.kind}</span>
        <AttemptStatus attempt={a} />
        <span class="attempt__target">{a.target}</span>
        <span class="attempt__time">{formatMs(a.durationMs)} · {formatFullTime(a.at)}</span>
      </button>
      {open ? (
        <div class="attempt__body">
          <AttemptResponse attempt={a} />
        </div>
      ) : null}
    </li>
  );
}

export function AttemptsList({ attempts }: { attempts: readonly Attempt[] }) {
  if (attempts.length === 0) {
    return <p class="muted">No replays or forwards of this delivery yet.</p>;
  }
  return (
    <ul class="attempts" data-testid="attempts">
      {attempts.map((a) => (
        <AttemptRow key={a.id} attempt={a} />
      ))}
    </ul>
  );
}
