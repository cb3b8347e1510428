// Replay one delivery to a target: the stored bytes as received, or "with changes" (the
// body edited as JSON and signed afresh). Shows the answer; the attempt also lands in the
// detail pane's Attempts list through the stream.
import { useMemo, useState } from 'preact/hooks';
import type { Attempt, DeliveryDetail } from '../../server/common/protocol.ts';
import type { ReplayRequest } from '../../server/common/contract/client-type.ts';
import type { Api } from '../api.ts';
import { checkJson } from '../state/json-edit.ts';
import { describeBadSigning, signingFields, type SigningInput } from '../state/signing.ts';
import { describeBadSiem, EMPTY_SIEM_INPUT, formatLabel, FORMATS_BY_KIND, siemFields, targetKind, TRANSPORT_LABELS, type SiemInput } from '../state/siem-target.ts';
import { describeBadDeliveryTarget } from '../state/targets.ts';
import { AttemptOutcome } from './attempt-outcome.tsx';
import { BodyEditor } from './body-editor.tsx';
import { Modal } from './modal.tsx';
import { SiemFields } from './siem-fields.tsx';
import { SigningFields } from './signing-fields.tsx';
import { TargetField } from './target-field.tsx';

interface Props {
  api: Api;
  detail: DeliveryDetail;
  /** Open in "replay with changes" mode. */
  edit: boolean;
  recent: readonly string[];
  onRemember(url: string): void;
  onClose(): void;
}

export function ReplayDialog({ api, detail, edit: editFirst, recent, onRemember, onClose }: Props) {
  const canEdit = detail.bodyText !== null && detail.refused === null;
  const hasSignature = detail.signatureDetail.headers.length > 0;
  const [edit, setEdit] = useState(editFirst && canEdit);
  const [target, setTarget] = useState(recent[0] ?? '');
  // As received: keep the received signature when there is one. Edited: a fresh one.
  const [signing, setSigning] = useState<SigningInput>({ choice: edit ? 'token' : hasSignature ? 'keep' : 'none', token: '' });
  const [body, setBody] = useState(detail.bodyText ?? '');
  const [siem, setSiem] = useState<SiemInput>(EMPTY_SIEM_INPUT);
  const [retries, setRetries] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<Attempt | null>(null);
  const json = useMemo(() => (edit ? checkJson(body) : null), [edit, body]);
  const kind = targetKind(target);
  const toSiem = kind !== null && kind !== 'http';

  const switchMode = (next: boolean) => {
    setEdit(next);
    if (next && signing.choice === 'keep') setSigning({ ...signing, choice: 'token' });
  };

  const submit = async () => {
    const bad = describeBadDeliveryTarget(target) ?? (toSiem ? describeBadSiem(kind, siem) : describeBadSigning(signing))
      ?? (json && !json.ok ? 'Fix the JSON before sending.' : null);
    setProblem(bad);
    if (bad) return;
    // A SIEM target gets its format and credentials; a connector gets Soveren's signature.
    const req: ReplayRequest = { target: target.trim(), ...(toSiem ? siemFields(kind, siem) : signingFields(signing)), retries };
    if (edit) req.body = body;
    setBusy(true);
    setResult(null);
    try {
      setResult(await api.replay(detail.id, req));
      onRemember(target.trim());
      // The secrets went with this request only: cleared so they are not sent again unasked.
      setSiem((s) => ({ ...s, hecToken: '', elasticApiKey: '' }));
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Replay delivery #${detail.id}`} onClose={onClose} size={edit ? 'wide' : 'normal'} testId="replay-dialog">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TargetField label="Target URL" value={target} recent={recent} onChange={setTarget} autofocus
          placeholder="http://127.0.0.1:8080/webhook or hec+http://, elastic+http://host/index, syslog+tcp://" />
        <div class="segmented" role="radiogroup" aria-label="What to send">
          <button type="button" role="radio" aria-checked={!edit} class="segmented__item" onClick={() => switchMode(false)}>
            As received
          </button>
          <button type="button" role="radio" aria-checked={edit} class="segmented__item" disabled={!canEdit} onClick={() => switchMode(true)}>
            With changes
          </button>
        </div>
        {edit ? (
          <BodyEditor value={body} original={detail.bodyText ?? ''} check={json} onChange={setBody} />
        ) : toSiem ? (
          <p class="field__hint" data-testid="siem-summary">
            The stored event as {formatLabel(siem.format === '' ? FORMATS_BY_KIND[kind][0]! : siem.format)}, sent to {TRANSPORT_LABELS[kind]}.
          </p>
        ) : (
          <p class="field__hint">
            The stored body, byte for byte ({detail.size} bytes), with <code>User-Agent: SoverenWebhook/1.0</code> and{' '}
            <code>Content-Type: application/json</code>.
          </p>
        )}
        {toSiem ? (
          <SiemFields kind={kind} value={siem} onChange={setSiem} />
        ) : (
          <SigningFields
            value={signing}
            onChange={setSigning}
            allowKeep={!edit && hasSignature}
            keepNote={edit ? 'An edited body needs a fresh signature: the received one covers the original bytes.' : hasSignature ? undefined : 'This delivery arrived without a signature header.'}
          />
        )}
        <div class="field field--inline">
          <label class="field__label" for="replay-retries">Retries</label>
          <select id="replay-retries" class="input input--narrow" value={String(retries)} onChange={(e) => setRetries(Number(e.currentTarget.value))}>
            {[0, 1, 2, 3, 5].map((n) => (
              <option key={n} value={n}>{n === 0 ? 'none' : n}</option>
            ))}
          </select>
          <span class="field__hint">on network errors, 429 and 5xx, with backoff</span>
        </div>
        {problem ? <p class="notice notice--error" role="alert">{problem}</p> : null}
        <div class="modal__actions">
          <button type="button" class="btn" onClick={onClose}>{result ? 'Close' : 'Cancel'}</button>
          <button type="submit" class="btn btn--primary" disabled={busy || (json !== null && !json.ok)}>
            {busy ? 'Sending…' : edit ? 'Replay with changes' : 'Replay'}
          </button>
        </div>
      </form>
      {result ? <AttemptOutcome attempt={result} /> : null}
    </Modal>
  );
}
