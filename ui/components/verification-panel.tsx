// Signature and user-agent verdicts in plain words: what header arrived, which token (if
// any) matched, and the server's one-sentence reason.
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';
import { SignatureBadge, UserAgentBadge } from './badges.tsx';
import { PayloadText } from './payload-text.tsx';
import { SignatureDebug } from './signature-debug.tsx';

const HEADLINES: Record<string, string> = {
  valid: 'The signature matches the body.',
  invalid: 'The signature does not match the body.',
  missing: 'A token is configured but no x-soveren-signature header arrived.',
  malformed: 'The x-soveren-signature header is not in the expected form.',
  unchecked: 'Not checked: no token is configured.',
};

function tokenLine(detail: DeliveryDetail): string {
  const s = detail.signatureDetail;
  if (s.tokenCount === 0) return 'None configured (start serve with --token or SOVEREN_WEBHOOK_TOKEN to verify signatures).';
  const of = `${s.tokenCount} configured token${s.tokenCount === 1 ? '' : 's'}`;
  if (s.verdict === 'missing' || s.verdict === 'malformed') return `${of}; there was no well-formed signature to compare.`;
  if (s.matchedToken !== null) {
    const which = s.tokenCount === 1 ? 'the configured token' : `token ${s.matchedToken + 1} of ${s.tokenCount}`;
    return `Matched ${which}${s.tokenCount > 1 && s.matchedToken === 0 ? ' (the newest)' : ''}.`;
  }
  return `Matched none of the ${of}.`;
}

const UA_TEXT: Record<string, string> = {
  ok: 'Matches SoverenWebhook/1.0.',
  mismatch: 'Differs from SoverenWebhook/1.0.',
  missing: 'No User-Agent header arrived.',
};

export function VerificationPanel({ detail, api }: { detail: DeliveryDetail; api: Api }) {
  const s = detail.signatureDetail;
  return (
    <div class={`verify verify--${s.verdict}`} data-testid="signature-panel">
      <div class="verify__head">
        <SignatureBadge verdict={s.verdict} long />
        <strong>{HEADLINES[s.verdict] ?? s.verdict}</strong>
      </div>
      <dl class="kv">
        <dt>Why</dt>
        <dd class="verify__reason">{s.reason}</dd>
        <dt>Header{s.headers.length > 1 ? 's' : ''}</dt>
        <dd>
          {s.headers.length === 0 ? (
            <span class="muted">no x-soveren-signature header</span>
          ) : (
            s.headers.map((h, i) => (
              <code class="verify__header" key={i}>
                <PayloadText text={h} />
              </code>
            ))
          )}
        </dd>
        <dt>Token</dt>
        <dd>{tokenLine(detail)}</dd>
        {s.uppercaseHex ? (
          <>
            <dt>Note</dt>
            <dd class="notice notice--warn">The digest is uppercase hex: it verifies here, but strict receivers compare lowercase and reject it.</dd>
          </>
        ) : null}
        <dt>User agent</dt>
        <dd>
          <UserAgentBadge verdict={detail.userAgent} always /> {UA_TEXT[detail.userAgent] ?? ''}{' '}
          {detail.userAgentValue !== null ? <code><PayloadText text={detail.userAgentValue} /></code> : null}
        </dd>
      </dl>
      <SignatureDebug api={api} detail={detail} />
    </div>
  );
}
