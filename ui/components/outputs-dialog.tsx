// "SIEM outputs": everything the sinks received, newest first, filterable (sink:, linked:,
// delivery:, words) and live; unmatched outputs say why they match no delivery.
import { useEffect, useState } from 'preact/hooks';
import type { OutputSummary, SinkHealth } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { formatFullTime } from '../state/format.ts';
import { linkText, SINK_LABELS } from '../state/siem-outputs.ts';
import { Modal } from './modal.tsx';

interface Props {
  api: Api;
  sinks: SinkHealth | null;
  /** Changes whenever an output arrives or is deleted: the list is fetched again. */
  liveToken: number;
  onOpenDelivery(id: number): void;
  onClose(): void;
}

export function OutputsDialog(props: Props) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<OutputSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    // A burst of live outputs is fetched once.
    const timer = setTimeout(() => {
      props.api.outputs({ q, limit: 200 }, ctrl.signal).then((page) => {
        setItems(page.items);
        setError(null);
      }, (err: unknown) => {
        if (!ctrl.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      });
    }, 150);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [props.api, q, props.liveToken]);
  const s = props.sinks;
  return (
    <Modal title="SIEM outputs" size="xl" onClose={props.onClose} testId="outputs-dialog">
      {s ? (
        <p class="muted">
          Point the connector's output at <code>{s.sinkUrl}</code> (Splunk HEC, Elasticsearch, any JSON POST) or syslog{' '}
          <code>{s.syslogAddress}</code> (TCP, UDP). {s.tokenRequired ? 'Clients must present --sink-token.' : 'Any token is accepted (no --sink-token).'}{' '}
          {s.outputs} stored{s.outputsPruned ? `, ${s.outputsPruned} pruned` : ''}.
        </p>
      ) : null}
      <input
        class="input"
        type="search"
        data-autofocus
        aria-label="Filter outputs"
        placeholder="sink:hec linked:no words…"
        value={q}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
      />
      {error ? <p class="notice notice--error">{error}</p> : null}
      {items === null ? <p class="muted">Loading…</p> : items.length === 0 ? <p class="muted">No outputs{q ? ' match' : ' yet'}.</p> : (
        <table class="compare__table" data-testid="outputs-table">
          <thead>
            <tr><th>#</th><th>received</th><th>sink</th><th>title</th><th>delivery</th></tr>
          </thead>
          <tbody>
            {items.map((o) => (
              <tr key={o.id} data-testid="output-row" data-linked={o.deliveryId === null ? 'no' : 'yes'}>
                <td>{o.id}</td>
                <td>{formatFullTime(o.receivedAt)}</td>
                <td>{SINK_LABELS[o.sink]}</td>
                <td>{o.title ?? <span class="muted">{o.path}</span>}</td>
                <td>
                  {o.deliveryId === null ? <span class="muted">{linkText(o)}</span> : (
                    <a href={`?id=${o.deliveryId}`} onClick={(e) => { e.preventDefault(); props.onOpenDelivery(o.deliveryId!); }}>{linkText(o)}</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="modal__actions">
        <button type="button" class="btn" onClick={props.onClose}>Close</button>
      </div>
    </Modal>
  );
}
