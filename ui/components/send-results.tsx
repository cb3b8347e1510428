// What a Send did: the summary (verdict, counts, latency, statuses, seed) and one row per
// request, each linking to the stored delivery when it went to this inspector.
import type { SendResponse } from '../../server/common/protocol.ts';
import { formatCount, formatMs } from '../state/format.ts';
import { describeSendVerdict } from '../state/send-verdict.ts';

interface Props {
  response: SendResponse;
  onOpenDelivery(id: number): void;
}

export function SendResults({ response, onOpenDelivery }: Props) {
  const { summary: s, results, job } = response;
  const verdict = describeSendVerdict(s);
  return (
    <section class="results" data-testid="send-results" aria-label="Send results">
      <div class={`results__verdict results__verdict--${s.passed ? 'ok' : 'fail'}`} data-testid="send-summary">
        <strong>{s.passed ? 'Passed' : 'Failed'}</strong> {verdict}
      </div>
      {job.state === 'stopped' ? (
        <p class="notice notice--warn" data-testid="send-stopped">
          Stopped: {formatCount(s.sent)} of {formatCount(job.total)} requests were made; the summary covers those.
        </p>
      ) : null}
      <dl class="stats">
        <div><dt>Sent</dt><dd>{formatCount(s.sent)}</dd></div>
        <div><dt>2xx</dt><dd class="stats__ok">{formatCount(s.ok)}</dd></div>
        <div><dt>Other</dt><dd class={s.failed ? 'stats__fail' : ''}>{formatCount(s.failed)}</dd></div>
        <div><dt>p50</dt><dd>{s.p50Ms === null ? '–' : formatMs(s.p50Ms)}</dd></div>
        <div><dt>p99</dt><dd>{s.p99Ms === null ? '–' : formatMs(s.p99Ms)}</dd></div>
        <div><dt>Seed</dt><dd><code>{s.seed}</code></dd></div>
      </dl>
      <p class="field__hint">
        To <code>{s.target}</code> · {s.signed ? 'signed' : 'unsigned'}
        {s.tamper ? <> · tamper <code>{s.tamper}</code></> : null} · statuses{' '}
        {Object.entries(s.statuses).map(([status, n]) => (
          <span key={status} class="chip chip--static">{status} × {n}</span>
        ))}
      </p>
      {s.warnings.map((w, i) => (
        <p key={i} class="notice notice--warn">{w}</p>
      ))}
      <div class="table-scroll">
        <table class="grid" data-testid="send-table">
          <thead>
            <tr><th>#</th><th>Event type</th><th>Status</th><th class="num">Latency</th><th>Delivery</th></tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.index} class={r.ok ? '' : 'grid__row--fail'}>
                <td class="num muted">{r.index + 1}</td>
                <td><code>{r.eventType}</code></td>
                <td>
                  <span class={`badge badge--status-${r.ok ? 'ok' : 'err'}`}>{r.status ?? 'no answer'}</span>
                  {r.error ? <span class="grid__error">{r.error}</span> : null}
                </td>
                <td class="num">{formatMs(r.durationMs)}</td>
                <td>
                  {r.deliveryId !== null ? (
                    <a
                      href={`?id=${r.deliveryId}`}
                      onClick={(e) => {
                        e.preventDefault();
                        onOpenDelivery(r.deliveryId!);
                      }}
                    >
                      #{r.deliveryId}
                    </a>
                  ) : (
                    <span class="muted">–</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
