// Start a conformance check: the connector URL and its token, plus the main options
// (timeout, burst size, refusal statuses, large event size, a scenario filter).
import { recallSecret, rememberSecret } from '../state/session-secrets.ts';
import { useEffect, useState } from 'preact/hooks';
import type { CheckScenarioInfo, SinkHealth, SinkKind } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { initialCheckForm, toCheckRequest, type CheckForm as Form } from '../state/check-form.ts';
import type { CheckRequest } from '../../server/common/contract/client-type.ts';
import { TargetField } from './target-field.tsx';
import { webhookTargets } from '../state/targets.ts';

interface Props {
  api: Api;
  recent: readonly string[];
  /** The inspector's own SIEM sinks (from /api/health), which a `through` check watches. */
  sinks: SinkHealth | null;
  onStart(req: CheckRequest): Promise<void>;
}

const SINK_LABELS: readonly [SinkKind, string][] = [
  ['hec', 'Splunk HEC'], ['elastic', 'Elasticsearch _bulk'], ['syslog', 'syslog (TCP, UDP)'], ['http', 'generic HTTP JSON'],
];

/** Where the connector must write for a `through` check: the sink's address for that kind. */
function sinkAddress(sinks: SinkHealth, kind: SinkKind): string {
  const base = sinks.sinkUrl.replace(/\/$/, '');
  if (kind === 'hec') return `${base}/services/collector/event`;
  if (kind === 'elastic') return `${base}/_bulk`;
  if (kind === 'syslog') return sinks.syslogAddress;
  return `${base}/<any path>`;
}

function NumberField(props: { id: string; label: string; value: string; placeholder: string; unit: string; onInput(v: string): void }) {
  return (
    <div class="field">
      <label class="field__label" for={props.id}>{props.label}</label>
      <span class="input-unit">
        <input id={props.id} class="input" inputMode="numeric" placeholder={props.placeholder} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} />
        <span class="input-unit__unit">{props.unit}</span>
      </span>
    </div>
  );
}

export function CheckForm({ api, recent, sinks, onStart }: Props) {
  const [form, setForm] = useState<Form>(() => ({ ...initialCheckForm(webhookTargets(recent)[0] ?? ''), token: recallSecret('check-token') }));
  const [scenarios, setScenarios] = useState<CheckScenarioInfo[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  useEffect(() => {
    const ctrl = new AbortController();
    api.checkScenarios(ctrl.signal).then((r) => setScenarios(r.items), () => undefined);
    return () => ctrl.abort();
  }, [api]);

  const submit = async () => {
    const req = toCheckRequest(form);
    if (typeof req === 'string') return setProblem(req);
    setProblem(null);
    setBusy(true);
    try {
      await onStart(req);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const groups = scenarios ? [...new Set(scenarios.map((s) => s.group))] : [];
  return (
    <form class="form check-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <p class="form__lead">
        Sends your connector good deliveries it must accept and bad ones it must refuse, and scores every answer.
        {scenarios ? ` ${scenarios.length} scenarios: ${groups.map((g) => g.replace(/_/g, ' ')).join(', ')}.` : ''}
      </p>
      <TargetField label="Connector URL" value={form.url} recent={webhookTargets(recent)} onChange={(url) => set({ url })} autofocus name="connector-url" />
      <div class="field">
        <label class="field__label" for="check-token">Token</label>
        <input id="check-token" class="input input--mono" type="password" autocomplete="off" spellcheck={false} placeholder="the token your connector verifies with" value={form.token} onInput={(e) => {
          rememberSecret('check-token', e.currentTarget.value);
          set({ token: e.currentTarget.value });
        }} />
        <p class="field__hint">Signs the check’s requests only: never stored, never shown in the history.</p>
      </div>
      <div class="form__grid">
        <NumberField id="check-timeout" label="Timeout per request" value={form.timeoutMs} placeholder="10000" unit="ms" onInput={(timeoutMs) => set({ timeoutMs })} />
        <NumberField id="check-burst" label="Burst" value={form.burst} placeholder="200" unit="concurrent" onInput={(burst) => set({ burst })} />
        <NumberField id="check-large" label="Large event" value={form.largeKiB} placeholder="512" unit="KiB" onInput={(largeKiB) => set({ largeKiB })} />
        <div class="field">
          <label class="field__label" for="check-reject">Refusal statuses</label>
          <input id="check-reject" class="input" placeholder="401, 403" value={form.expectReject} onInput={(e) => set({ expectReject: e.currentTarget.value })} />
        </div>
      </div>
      <div class="field">
        <label class="field__label" for="check-only">Only scenarios matching</label>
        <input id="check-only" class="input" placeholder="all (or e.g. signature, json)" value={form.only} onInput={(e) => set({ only: e.currentTarget.value })} />
      </div>
      <div class="form__grid">
        <div class="field">
          <label class="field__label" for="check-through">Through the SIEM</label>
          <select id="check-through" class="input" value={form.through} onChange={(e) => set({ through: e.currentTarget.value as Form['through'] })}>
            <option value="">no: the connector’s answers only</option>
            {SINK_LABELS.map(([kind, label]) => <option key={kind} value={kind}>{kind}: {label}</option>)}
          </select>
        </div>
        {form.through !== '' ? <NumberField id="check-sink-wait" label="Wait for the SIEM" value={form.sinkWaitS} placeholder="10" unit="s" onInput={(sinkWaitS) => set({ sinkWaitS })} /> : null}
      </div>
      {form.through !== '' ? (
        <p class="field__hint" data-testid="check-through-hint">
          {sinks && sinks.sinkUrl !== ''
            ? <>Point the connector’s output at <code>{sinkAddress(sinks, form.through)}</code>. {sinks.tokenRequired ? 'It must present the --sink-token.' : 'Any sink token is accepted.'} Every accepted event must arrive there once and mapped, and no forged one.</>
            : 'This inspector’s SIEM sinks are not running.'}
        </p>
      ) : null}
      {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
      <div class="modal__actions">
        <button type="submit" class="btn btn--primary" disabled={busy} data-testid="check-start">
          {busy ? 'Starting…' : 'Run check'}
        </button>
      </div>
    </form>
  );
}
