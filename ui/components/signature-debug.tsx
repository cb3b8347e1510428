// Signature debugging beside the verdict: the masked `sha256=` each configured token gives
// the stored body next to what arrived, whether the body changed since signing or another
// token signed it (with the evidence), and "Try a token", recomputed here in the page.
// The typed token lives in this component's state only: never stored, never sent.
import { useEffect, useState } from 'preact/hooks';
import type { DeliveryDetail, SignatureExpectation } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { maskDigest, tryToken, type TokenTrial } from '../state/signature-try.ts';

const CAUSE_TEXT: Record<NonNullable<SignatureExpectation['diagnosis']>['cause'], string> = {
  'body-changed': 'Body changed since signing:',
  'another-token': 'Signed with another token:',
  unknown: 'Cannot tell yet:',
};

function Expected({ api, detail }: { api: Api; detail: DeliveryDetail }) {
  const [data, setData] = useState<SignatureExpectation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api.signature(detail.id, ctrl.signal).then(setData, (err: unknown) => {
      if (!ctrl.signal.aborted) setError(err instanceof Error ? err.message : String(err));
    });
    return () => ctrl.abort();
  }, [api, detail.id]);
  if (error) return <p class="notice notice--error">{error}</p>;
  if (!data) return <p class="muted">Computing the expected signatures…</p>;
  return (
    <>
    {data.diagnosis ? (
      <p class={`sigcause sigcause--${data.diagnosis.cause}`} data-testid="signature-cause" data-cause={data.diagnosis.cause}>
        <strong>{CAUSE_TEXT[data.diagnosis.cause]}</strong> {data.diagnosis.reason}
      </p>
    ) : null}
    <table class="compare__table sigdbg" data-testid="signature-expected">
      <tbody>
        {data.received.map((r, i) => (
          <tr key={`r${i}`} data-kind="received">
            <th>received</th>
            <td><code>{r.masked}</code></td>
            <td />
          </tr>
        ))}
        {data.expected.map((e) => (
          <tr key={e.token} data-kind="expected" data-token={e.token}>
            <th>token {e.token}{e.token === 1 && data.expected.length > 1 ? ' (newest)' : ''} expects</th>
            <td><code>{e.masked}</code></td>
            <td class={e.matches ? 'sigdbg__same' : 'sigdbg__diff'}>{e.matches ? 'matches' : 'differs'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  );
}

function TryToken({ detail }: { detail: DeliveryDetail }) {
  const [token, setToken] = useState('');
  const [trial, setTrial] = useState<TokenTrial | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new delivery or an edited token makes the old answer stale.
  useEffect(() => {
    setTrial(null);
    setError(null);
  }, [detail.id, token]);
  useEffect(() => setToken(''), [detail.id]);
  const run = async () => {
    try {
      setTrial(await tryToken(token, detail.bodyBase64, detail.signatureDetail.headers));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div class="sigtry" data-testid="try-token">
      <label class="sigtry__row">
        <span>Try a token</span>
        <input
          class="input"
          type="password"
          autocomplete="off"
          spellcheck={false}
          aria-label="Token to try"
          placeholder="checked here in the page, never sent or kept"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Enter' && token !== '' && void run()}
        />
        <button type="button" class="btn btn--small" disabled={token === ''} onClick={() => void run()}>
          Check
        </button>
      </label>
      {error ? <p class="notice notice--error">{error}</p> : null}
      {trial ? (
        <p class={`sigtry__verdict sigtry__verdict--${trial.verdict}`} data-testid="try-token-verdict" data-verdict={trial.verdict}>
          {trial.verdict === 'valid'
            ? 'valid: this token signed exactly these bytes.'
            : trial.verdict === 'invalid'
              ? 'invalid: this token gives '
              : 'No single signature header arrived; this token gives '}
          {trial.verdict === 'valid' ? null : <code>{maskDigest(trial.expected)}</code>}
        </p>
      ) : null}
    </div>
  );
}

/** Shown for `invalid` (expected digests and Try a token) and other checkable verdicts (Try a token). */
export function SignatureDebug({ api, detail }: { api: Api; detail: DeliveryDetail }) {
  const verdict = detail.signatureDetail.verdict;
  if (detail.refused !== null || verdict === 'valid' || verdict === 'malformed') return null;
  return (
    <div class="sigdebug" data-testid="signature-debug">
      {verdict === 'invalid' ? <Expected api={api} detail={detail} /> : null}
      <TryToken detail={detail} />
    </div>
  );
}
