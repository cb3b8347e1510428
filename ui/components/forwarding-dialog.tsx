// Live forwarding at run time: on/off, how forwarded requests are signed, and the targets
// with their health in words; targets can be added and removed, their failed deliveries
// shown (a search) or forwarded again.
import { useState } from 'preact/hooks';
import type { SigningMode } from '../../server/common/protocol.ts';
import type { ForwardingUpdate } from '../../server/common/contract/client-type.ts';
import type { Api } from '../api.ts';
import type { Forwarding } from '../hooks/use-forwarding.ts';
import { failedQuery } from '../../server/common/query.ts';
import { describeDuration } from '../state/forward-health.ts';
import { describeBadSigning, SIGNING_LABELS, type SigningInput } from '../state/signing.ts';

const MODE_HINTS: Record<SigningMode, string> = {
  token: 'HMAC-SHA-256 over each body with the configured token',
  keep: 'each delivery’s received x-soveren-signature header, verbatim',
  none: 'no x-soveren-signature header',
};
import { describeBadSiem, EMPTY_SIEM_INPUT, formatLabel, siemFields, targetKind, type SiemInput } from '../state/siem-target.ts';
import { describeBadDeliveryTarget } from '../state/targets.ts';
import { ForwardTargetRow } from './forward-target-row.tsx';
import { Modal } from './modal.tsx';
import { SiemFields } from './siem-fields.tsx';
import { SigningFields } from './signing-fields.tsx';
import { TargetField } from './target-field.tsx';

interface Props {
  forwarding: Forwarding;
  api: Pick<Api, 'retryForwarding'>;
  /** Close the dialog and set the search: "show the failed ones". */
  onShowQuery(q: string): void;
  recent: readonly string[];
  onRemember(url: string): void;
  onClose(): void;
}

function signingUpdate(input: SigningInput): ForwardingUpdate {
  if (input.choice === 'token') return { token: input.token };
  if (input.choice === 'keep') return { keepSignature: true };
  return { token: null, keepSignature: false };
}

export function ForwardingDialog({ forwarding, api, onShowQuery, recent, onRemember, onClose }: Props) {
  const { state } = forwarding;
  const [adding, setAdding] = useState('');
  const [signing, setSigning] = useState<SigningInput | null>(null);
  const [siem, setSiem] = useState<SiemInput>(EMPTY_SIEM_INPUT);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const apply = async (patch: ForwardingUpdate, after?: () => void) => {
    setBusy(true);
    setProblem(null);
    try {
      await forwarding.update(patch);
      after?.();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!state) {
    return (
      <Modal title="Live forwarding" onClose={onClose} size="wide" testId="forwarding-dialog">
        <p class={forwarding.error ? 'notice notice--error' : 'muted'}>{forwarding.error ?? 'Loading…'}</p>
      </Modal>
    );
  }

  const urls = state.targets.map((t) => t.url);
  const addingKind = targetKind(adding);
  const addingSiem = addingKind !== null && addingKind !== 'http' ? addingKind : null;
  const held = addingSiem === 'hec' ? state.siem.hecTokenSet : addingSiem === 'elastic' ? state.siem.elasticApiKeySet : false;
  const add = () => {
    const url = adding.trim();
    const bad = describeBadDeliveryTarget(url) ?? (urls.includes(url) ? 'That target is already in the list.' : null) ?? describeBadSiem(addingKind, siem, held);
    if (bad) return setProblem(bad);
    // The format applies to every SIEM target; a typed secret is held by the running forwarder only.
    void apply({ targets: [...urls, url], ...siemFields(addingKind, siem) }, () => {
      onRemember(url);
      setAdding('');
      setSiem(EMPTY_SIEM_INPUT);
    });
  };
  const siemHeld = [state.siem.hecTokenSet ? 'a Splunk HEC token' : '', state.siem.elasticApiKeySet ? 'an Elasticsearch API key' : ''].filter(Boolean);
  const mode: SigningMode = state.signing;
  const hasTargets = state.targets.length > 0;
  // "On" with nothing to forward to would be a lie: say what happens instead.
  const switchLabel = !hasTargets ? 'No targets: nothing is forwarded' : state.enabled ? 'Forwarding is on' : 'Forwarding is off';
  const retryFailed = async (url: string) => {
    setBusy(true);
    setProblem(null);
    setNote(null);
    try {
      const r = await api.retryForwarding(url);
      setNote(r.queued === 0 ? `Nothing to retry for ${url}.` : `${r.queued} failed deliver${r.queued === 1 ? 'y' : 'ies'} queued again for ${url}.`);
      forwarding.refresh();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Live forwarding" onClose={onClose} size="wide" testId="forwarding-dialog">
      <div class="fwd__top">
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={state.enabled && hasTargets}
          disabled={busy || !hasTargets}
          data-testid="forwarding-switch"
          onClick={() => void apply({ enabled: !state.enabled })}
        >
          <span class="switch__track"><span class="switch__thumb" /></span>
          {switchLabel}
        </button>
        <span class="muted small">
          Every accepted delivery is sent on as it arrives, without delaying the receiver’s answer. A target counts as failing after{' '}
          {describeDuration(state.failAfterMs)} without a success, as on Soveren’s webhook page.
        </span>
      </div>

      <div class="fwd__signing">
        <span class="field__label">Signature</span>
        <span data-testid="forwarding-signing">{SIGNING_LABELS[mode].label}{state.tokenSource === 'receiver' ? ' with the receiver’s token' : ''}</span>
        <span class="muted small">{state.tokenSource === 'receiver' ? 'HMAC-SHA-256 over each body with the token this inspector verifies with (the default for new targets)' : MODE_HINTS[mode]}</span>
        <span class="spacer" />
        {signing ? null : (
          <button type="button" class="link-button" onClick={() => setSigning({ choice: mode, token: '' })}>Change</button>
        )}
      </div>
      {signing ? (
        <div class="fwd__signing-edit">
          <SigningFields value={signing} onChange={setSigning} allowKeep legend="Sign forwarded requests with" tokenHint="Kept in the running inspector's memory to sign forwarded requests; never shown again." />
          <div class="modal__actions">
            <button type="button" class="btn btn--small" onClick={() => setSigning(null)}>Cancel</button>
            <button
              type="button"
              class="btn btn--small btn--primary"
              disabled={busy}
              onClick={() => {
                const bad = describeBadSigning(signing);
                if (bad) return setProblem(bad);
                void apply(signingUpdate(signing), () => setSigning(null));
              }}
            >
              Apply
            </button>
          </div>
        </div>
      ) : null}

      {state.targets.some((t) => targetKind(t.url) !== 'http') ? (
        <p class="muted small" data-testid="forwarding-siem">
          SIEM targets get {state.format === null ? 'their default format' : formatLabel(state.format)}
          {siemHeld.length ? `; the forwarder holds ${siemHeld.join(' and ')} (never shown)` : ''}
          {state.siem.hecAck ? '; Splunk acknowledgement awaited' : ''}.
        </p>
      ) : null}
      {state.targets.length === 0 ? (
        <p class="empty-note">No forward targets yet. Add one below, or start <code>serve --forward-to URL</code>.</p>
      ) : (
        <ul class="ftargets">
          {state.targets.map((t) => (
            <ForwardTargetRow
              key={t.url}
              target={t}
              failAfterMs={state.failAfterMs}
              busy={busy}
              onRemove={() => void apply({ targets: urls.filter((u) => u !== t.url) })}
              onShowFailed={() => onShowQuery(failedQuery('forward', t.url))}
              onRetryFailed={() => void retryFailed(t.url)}
            />
          ))}
        </ul>
      )}

      <form class="fwd__add" onSubmit={(e) => { e.preventDefault(); add(); }}>
        <TargetField label="Add a target" value={adding} recent={recent.filter((u) => !urls.includes(u))} onChange={setAdding} autofocus
          placeholder="http://… connector, or hec+http://, elastic+http://host/index, syslog+tcp://" />
        {addingSiem ? (
          <SiemFields kind={addingSiem} value={siem} onChange={setSiem} secretHeld={held}
            secretHint="Kept in the running inspector's memory for forwarding; never shown again." />
        ) : null}
        <button type="submit" class="btn" disabled={busy || adding.trim() === ''}>Add target</button>
      </form>
      {note ? <p class="notice" role="status" data-testid="forwarding-note">{note}</p> : null}
      {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
    </Modal>
  );
}
