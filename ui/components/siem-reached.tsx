// "Reached your SIEM" in a delivery's detail: each output linked to it (sink, latency from
// receipt, link rule), with a side-by-side view against the reference mapping where fields
// that differ or are missing stand out; or, when nothing arrived, that it is still awaited
// or did not come within the wait time.
import { useEffect, useState } from 'preact/hooks';
import type { OutputComparison, OutputSummary } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { PayloadText } from './payload-text.tsx';
import { formatFullTime, formatMs } from '../state/format.ts';
import { latencyOf, linkText, SINK_LABELS, waitingText } from '../state/siem-outputs.ts';

const STATE_LABEL = { same: 'same', differs: 'differs', missing: 'missing', extra: 'only in output' } as const;

function Comparison({ api, output }: { api: Api; output: OutputSummary }) {
  const [result, setResult] = useState<OutputComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api.compareOutput(output.id, ctrl.signal).then(setResult, (err: unknown) => {
      if (!ctrl.signal.aborted) setError(err instanceof Error ? err.message : String(err));
    });
    return () => ctrl.abort();
  }, [api, output.id]);
  if (error) return <p class="notice notice--error">{error}</p>;
  if (!result) return <p class="muted">Comparing…</p>;
  if (result.reference === null) return <p class="muted">No reference mapping to compare with: {result.reason}</p>;
  const off = result.rows.filter((r) => r.state === 'differs' || r.state === 'missing').length;
  return (
    <div class="compare" data-testid="siem-compare">
      <p class="muted">
        Against the reference {result.format.toUpperCase()} mapping: {off === 0 ? 'every reference field is there and the same.' : `${off} ${off === 1 ? 'field differs or is' : 'fields differ or are'} missing.`}
      </p>
      <table class="compare__table">
        <thead>
          <tr><th>field</th><th>reference</th><th>connector's output</th><th /></tr>
        </thead>
        <tbody>
          {result.rows.map((r) => (
            <tr key={r.field} class={`compare__row compare__row--${r.state}`} data-state={r.state}>
              <td><code><PayloadText text={r.field} /></code></td>
              <td class="compare__value"><PayloadText text={r.expected ?? ''} /></td>
              <td class="compare__value"><PayloadText text={r.actual ?? ''} /></td>
              <td>{r.state === 'same' ? null : <span class={`badge ${r.state === 'extra' ? 'badge--sig-unchecked' : r.state === 'missing' ? 'badge--sig-missing' : 'badge--sig-invalid'}`}>{STATE_LABEL[r.state]}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OutputRow({ api, output, receivedAt }: { api: Api; output: OutputSummary; receivedAt: string }) {
  const [open, setOpen] = useState(false);
  return (
    <li class="attempt attempt--ok" data-testid="siem-output" data-sink={output.sink}>
      <button type="button" class="attempt__line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`chevron${open ? ' chevron--open' : ''}`} />
        <span class="attempt__kind">{SINK_LABELS[output.sink]}</span>
        <span class="badge badge--status-ok">+{formatMs(latencyOf(receivedAt, output))}</span>
        <span class="attempt__target">{output.title ?? output.path} · {linkText(output)}</span>
        <span class="attempt__time">#{output.id} · {formatFullTime(output.receivedAt)}</span>
      </button>
      {open ? (
        <div class="attempt__body">
          <Comparison api={api} output={output} />
        </div>
      ) : null}
    </li>
  );
}

export function ReachedSiem({ api, outputs, receivedAt }: { api: Api; outputs: readonly OutputSummary[]; receivedAt: string }) {
  const [now, setNow] = useState(Date.now());
  const waiting = outputs.length === 0 ? waitingText(receivedAt, now) : null;
  useEffect(() => {
    if (!waiting || waiting.late) return;
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [waiting?.text]);
  if (waiting) return <p class={waiting.late ? 'notice notice--info' : 'muted'} data-testid="siem-waiting">{waiting.text}</p>;
  return (
    <ul class="attempts" data-testid="siem-outputs">
      {outputs.map((o) => (
        <OutputRow key={o.id} api={api} output={o} receivedAt={receivedAt} />
      ))}
    </ul>
  );
}
