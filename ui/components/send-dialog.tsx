// The Send panel: compose Soveren test events (all types, one category or chosen types),
// how many, in which category form, optionally tampered, to a target (by default this
// inspector's own receiver), follow the progress (and stop) while it runs, and see every
// request's answer and the summary.
import { recallSecret, rememberSecret } from '../state/session-secrets.ts';
import { useState } from 'preact/hooks';
import type { Health, SendResponse } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { UI_CATEGORIES } from '../state/categories.ts';
import { formatCount } from '../state/format.ts';
import type { SendJob } from '../hooks/use-send-job.ts';
import { describeSendProblem, initialSendForm, newJobId, requestCount, TAMPER_OPTIONS, toSendRequest, type SendForm, type SendScope } from '../state/send-form.ts';
import { EventTypePicker } from './event-type-picker.tsx';
import { JobProgress } from './job-progress.tsx';
import { Modal } from './modal.tsx';
import { SendResults } from './send-results.tsx';
import { TargetField } from './target-field.tsx';
import { webhookTargets } from '../state/targets.ts';

interface Props {
  api: Api;
  health: Health | null;
  /** Progress of the send under way, fed from the stream by the app. */
  sendJob: SendJob;
  recent: readonly string[];
  onRemember(url: string): void;
  onOpenDelivery(id: number): void;
  onClose(): void;
}

const CATEGORY_FORM_EXAMPLES = { display: '“Data at risk”', slug: 'data_at_risk', legacy: '“Policy violation” (older docs)' };

const SCOPES: [SendScope, string][] = [['all', 'All 29 types'], ['category', 'One category'], ['types', 'Chosen types']];

export function SendDialog({ api, health, sendJob, recent, onRemember, onOpenDelivery, onClose }: Props) {
  const [form, setForm] = useState<SendForm>(() => ({ ...initialSendForm(), token: recallSecret('send-token') }));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [response, setResponse] = useState<SendResponse | null>(null);
  const set = (patch: Partial<SendForm>) => setForm((f) => ({ ...f, ...patch }));
  const own = form.target.trim() === '';
  const n = requestCount(form);
  const tamper = TAMPER_OPTIONS.find((t) => t.value === form.tamper);

  const submit = async () => {
    const bad = describeSendProblem(form);
    setProblem(bad);
    if (bad) return;
    // Chosen here so the progress messages can be matched before the answer names the job.
    const jobId = newJobId();
    sendJob.watch(jobId);
    setResponse(null);
    setBusy(true);
    try {
      setResponse(await api.send({ ...toSendRequest(form), jobId }));
      if (!own) onRemember(form.target.trim());
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const stop = async () => {
    try {
      await sendJob.stop();
    } catch (err) {
      setProblem(`Stop failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <Modal title="Send test events" onClose={onClose} size="wide" testId="send-dialog">
      <form class="form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div class="segmented" role="radiogroup" aria-label="Which events">
          {SCOPES.map(([scope, label]) => (
            <button key={scope} type="button" role="radio" aria-checked={form.scope === scope} class="segmented__item" onClick={() => set({ scope })}>
              {label}
            </button>
          ))}
        </div>
        {form.scope === 'category' ? (
          <div class="field field--inline">
            <label class="field__label" for="send-category">Category</label>
            <select id="send-category" class="input" value={form.category} onChange={(e) => set({ category: e.currentTarget.value })}>
              {UI_CATEGORIES.map((c) => (
                <option key={c.facet} value={c.facet}>{c.display} ({c.eventTypes.length} types)</option>
              ))}
            </select>
          </div>
        ) : form.scope === 'types' ? (
          <EventTypePicker selected={form.types} onChange={(types) => set({ types })} />
        ) : null}
        <div class="form__grid">
          <div class="field">
            <label class="field__label" for="send-count">Count per type</label>
            <input id="send-count" class="input" type="number" min={1} max={1000} value={String(form.count)} onInput={(e) => set({ count: Number(e.currentTarget.value) })} />
          </div>
          <div class="field">
            <label class="field__label" for="send-form">Category written as</label>
            <select id="send-form" class="input" value={form.categoryForm} onChange={(e) => set({ categoryForm: e.currentTarget.value as SendForm['categoryForm'] })}>
              <option value="display">Display name</option>
              <option value="slug">Slug</option>
              <option value="legacy">Legacy name</option>
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="send-tamper">Tamper</label>
            <select id="send-tamper" class="input" value={form.tamper} onChange={(e) => set({ tamper: e.currentTarget.value as SendForm['tamper'] })}>
              <option value="">None</option>
              {TAMPER_OPTIONS.map((t) => (
                <option key={t.value} value={t.value}>{t.label}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="send-seed">Seed</label>
            <input id="send-seed" class="input" inputMode="numeric" placeholder="random" value={form.seed} onInput={(e) => set({ seed: e.currentTarget.value })} />
          </div>
        </div>
        <p class="field__hint form__explain">
          Category as {CATEGORY_FORM_EXAMPLES[form.categoryForm]}
          {tamper ? <> · tamper: {tamper.hint}</> : ' · every request valid and signed as Soveren signs it'}
        </p>
        <TargetField
          label="Target URL"
          value={form.target}
          recent={webhookTargets(recent)}
          onChange={(target) => set({ target })}
          placeholder={`empty: this inspector's receiver${health ? ` (${health.receiverUrl})` : ''}`}
        />
        <div class="field">
          <label class="field__label" for="send-token">Token</label>
          <input id="send-token" class="input input--mono" type="password" autocomplete="off" spellcheck={false} value={form.token} onInput={(e) => {
            rememberSecret('send-token', e.currentTarget.value);
            set({ token: e.currentTarget.value });
          }} />
          <p class="field__hint">
            {own
              ? health && health.tokenCount > 0
                ? 'Empty: signed with the receiver’s own token.'
                : 'Empty: unsigned (the receiver has no token configured).'
              : 'Empty: sent unsigned.'}{' '}
            Used for signing only: never stored or shown.
          </p>
        </div>
        {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
        <div class="modal__actions">
          <span class="form__count muted">{n > 0 ? `${formatCount(n)} request${n === 1 ? '' : 's'}` : ''}</span>
          <span class="spacer" />
          <button type="button" class="btn" onClick={onClose}>Close</button>
          <button type="submit" class="btn btn--primary" disabled={busy || n === 0} data-testid="send-submit">
            {busy ? `Sending ${formatCount(n)}…` : 'Send'}
          </button>
        </div>
      </form>
      {busy && sendJob.job ? <JobProgress job={sendJob.job} onStop={() => void stop()} /> : null}
      {response ? <SendResults response={response} onOpenDelivery={onOpenDelivery} /> : null}
    </Modal>
  );
}
