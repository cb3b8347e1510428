// The fields a SIEM target needs, shown when the target URL names one: the payload format
// (the transport's default first), the Splunk HEC token and acknowledgement, or the
// Elasticsearch API key. Secrets are password fields, sent with the request; the server never
// keeps them (but a forwarder in memory), the browser only in this tab's sessionStorage.
import { useEffect, useState } from 'preact/hooks';
import { recallSecret, rememberSecret } from '../state/session-secrets.ts';
import type { TransportFormat } from '../../server/common/protocol.ts';
import { FORMATS_BY_KIND, formatLabel, TRANSPORT_LABELS, type SiemInput, type SiemKind } from '../state/siem-target.ts';

interface Props {
  kind: SiemKind;
  value: SiemInput;
  onChange(value: SiemInput): void;
  /** Says where a typed secret goes (this request, or the running forwarder's memory). */
  secretHint?: string;
  /** The server already holds a secret for this kind (forwarding): leaving the field empty keeps it. */
  secretHeld?: boolean;
}

let nextId = 0;

export function SiemFields({ kind, value, onChange, secretHint, secretHeld }: Props) {
  const [id] = useState(() => `siem-${++nextId}`);
  const formats = FORMATS_BY_KIND[kind];
  const hint = secretHint ?? 'Used for this replay only; remembered in this browser tab, never stored by the server.';
  const held = secretHeld ? ' One is held already: leave empty to keep it.' : '';
  // Empty fields take what was typed earlier in this tab (not where the server holds one: empty keeps that).
  useEffect(() => {
    if (secretHeld) return;
    const hecToken = value.hecToken || recallSecret('hec-token');
    const elasticApiKey = value.elasticApiKey || recallSecret('elastic-api-key');
    if (hecToken !== value.hecToken || elasticApiKey !== value.elasticApiKey) onChange({ ...value, hecToken, elasticApiKey });
  }, [kind]);
  return (
    <fieldset class="field radios" data-testid="siem-fields">
      <legend class="field__label">{TRANSPORT_LABELS[kind]}</legend>
      <div class="field field--inline">
        <label class="field__label" for={`${id}-format`}>Format</label>
        <select
          id={`${id}-format`}
          class="input input--narrow"
          name="format"
          value={value.format === '' ? formats[0] : value.format}
          onChange={(e) => onChange({ ...value, format: e.currentTarget.value as TransportFormat })}
        >
          {formats.map((f, i) => (
            <option key={f} value={f}>{formatLabel(f)}{i === 0 ? ' (default)' : ''}</option>
          ))}
        </select>
        <span class="field__hint">{kind === 'hec' ? 'carried in the HEC event envelope' : kind === 'syslog' ? 'as the syslog message' : 'one document per delivery'}</span>
      </div>
      {kind === 'hec' ? (
        <>
          <div class="field field--nested">
            <label class="field__label" for={`${id}-hec`}>HEC token</label>
            <input id={`${id}-hec`} class="input input--mono" type="password" name="hec-token" autocomplete="off" spellcheck={false}
              placeholder="Splunk HEC token" value={value.hecToken} onInput={(e) => {
                rememberSecret('hec-token', e.currentTarget.value);
                onChange({ ...value, hecToken: e.currentTarget.value });
              }} />
            <p class="field__hint">{hint}{held}</p>
          </div>
          <label class="check">
            <input type="checkbox" checked={value.hecAck} onChange={(e) => onChange({ ...value, hecAck: e.currentTarget.checked })} />
            <span>Wait for indexer acknowledgement (<code>/services/collector/ack</code>)</span>
          </label>
        </>
      ) : null}
      {kind === 'elastic' ? (
        <div class="field field--nested">
          <label class="field__label" for={`${id}-es`}>API key</label>
          <input id={`${id}-es`} class="input input--mono" type="password" name="elastic-api-key" autocomplete="off" spellcheck={false}
            placeholder="encoded API key (or user:password in the URL)" value={value.elasticApiKey} onInput={(e) => {
              rememberSecret('elastic-api-key', e.currentTarget.value);
              onChange({ ...value, elasticApiKey: e.currentTarget.value });
            }} />
          <p class="field__hint">{hint}{held}</p>
        </div>
      ) : null}
      {kind === 'syslog' ? (
        <p class="field__hint">
          RFC 5424, facility local0; TCP uses octet counting (add <code>?framing=lf</code> for LF). Syslog sends no answer: delivered means handed over.
        </p>
      ) : null}
    </fieldset>
  );
}
