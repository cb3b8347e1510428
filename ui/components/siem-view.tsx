// The detail pane's SIEM section: the delivery as OCSF, ECS, CEF or a Splunk HEC envelope (one
// tab each, fetched when chosen), a copy button, the source -> target table and what has no field.
import { useEffect, useState } from 'preact/hooks';
import type { SiemFormatName, SiemMappingResponse } from '../../server/common/protocol.ts';
import { PayloadText } from './payload-text.tsx';

const TABS: readonly { format: SiemFormatName; label: string; what: string }[] = [
  { format: 'ocsf', label: 'OCSF', what: 'OCSF event' },
  { format: 'ecs', label: 'ECS', what: 'ECS document' },
  { format: 'cef', label: 'CEF', what: 'CEF line' },
  { format: 'hec', label: 'Splunk HEC', what: 'HEC event' },
];
const VALUE_PREVIEW = 300;

interface SiemViewProps {
  id: number;
  load(id: number, format: SiemFormatName, signal: AbortSignal): Promise<SiemMappingResponse>;
  onCopy(text: string, what: string): void;
}

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'done'; mapping: SiemMappingResponse };

/** Values as one line of JSON, cut for the table (the output above has them whole). */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > VALUE_PREVIEW ? `${text.slice(0, VALUE_PREVIEW)}…` : text;
}

export function SiemView({ id, load, onCopy }: SiemViewProps) {
  const [format, setFormat] = useState<SiemFormatName>('ocsf');
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    load(id, format, controller.signal).then(
      (mapping) => setState({ kind: 'done', mapping }),
      (err: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => controller.abort();
  }, [id, format, load]);

  const tab = TABS.find((t) => t.format === format)!;
  const text = state.kind === 'done' ? (typeof state.mapping.output === 'string' ? state.mapping.output : JSON.stringify(state.mapping.output, null, 2)) : '';
  return (
    <div class="siem-view" data-testid="siem-mapping">
      <div class="tabs" role="tablist" aria-label="SIEM format">
        {TABS.map((t) => (
          <button key={t.format} type="button" role="tab" class="tab" aria-selected={t.format === format} onClick={() => setFormat(t.format)}>
            {t.label}
          </button>
        ))}
        <span class="tabs__meta">
          <button type="button" class="btn btn--small" disabled={state.kind !== 'done'} onClick={() => onCopy(text, tab.what)}>
            Copy {tab.label}
          </button>
        </span>
      </div>
      {state.kind === 'loading' ? <p class="muted">Mapping…</p> : null}
      {state.kind === 'error' ? <p class="notice notice--warn" data-testid="siem-mapping-error">{state.message}</p> : null}
      {state.kind === 'done' ? (
        <>
          {state.mapping.findings.map((f) => (
            <p key={f.code} class="notice notice--info">{f.message}</p>
          ))}
          <pre class="code raw raw--wrap siem-view__output" data-testid="siem-mapping-output" data-format={state.mapping.format}><PayloadText text={text} /></pre>
          <table class="headers siem-view__fields" data-testid="siem-mapping-fields">
            <thead>
              <tr><th>Source field</th><th>{tab.label} field</th><th>Value</th></tr>
            </thead>
            <tbody>
              {state.mapping.fields.map((f, i) => (
                <tr key={i}>
                  <td><PayloadText text={f.source} /></td>
                  <td><PayloadText text={f.target} /></td>
                  <td><PayloadText text={preview(f.value)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4 class="siem-view__sub">Not mapped</h4>
          {state.mapping.unmapped.length === 0 ? (
            <p class="muted">Every field of the event has a {tab.label} field.</p>
          ) : (
            <>
              <p class="muted">No {tab.label} field for these; they are kept in <code>{state.mapping.unmappedTarget}</code>.</p>
              <table class="headers" data-testid="siem-mapping-unmapped">
                <tbody>
                  {state.mapping.unmapped.map((u, i) => (
                    <tr key={i}>
                      <th><PayloadText text={u.source} /></th>
                      <td><PayloadText text={preview(u.value)} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
