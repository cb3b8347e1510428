// Outbound requests the sender made for this delivery (replays, forwards, checks), newest
// last, with the status and the start of each answer.
import { useState } from 'preact/hooks';
import type { Attempt } from '../../server/protocol.ts';
import { formatFullTime } from '../state/format.ts';

function AttemptRow({ attempt: a }: { attempt: Attempt }) {
  const [open, setOpen] = useState(false);
  return (
    <li class={`attempt attempt--${a.ok ? 'ok' : 'fail'}`}>
      <button type="button" class="attempt__line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`chevron${open ? ' chevron--open' : ''}`} />
        <span class="attempt__kind">{a.kind}</span>
        <span class={`badge badge--status-${a.ok ? 'ok' : 'err'}`}>{a.status ?? 'failed'}</span>
        <span class="attempt__target">{a.target}</span>
        <span class="attempt__time">{a.durationMs} ms · {formatFullTime(a.at)}</span>
      </button>
      {open ? (
        <div class="attempt__body">
          {a.error !== null ? <p class="notice notice--error">{a.error}</p> : null}
          {a.responseHeaders.length ? (
            <table class="headers">
              <tbody>
                {a.responseHeaders.map(([name, value], i) => (
                  <tr key={i}>
                    <th>{name}</th>
                    <td>{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {a.responseBody !== null ? <pre class="code raw raw--wrap">{a.responseBody}</pre> : null}
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
    <ul class="attempts">
      {attempts.map((a) => (
        <AttemptRow key={a.id} attempt={a} />
      ))}
    </ul>
  );
}
