// Small coloured labels for category, sensitivity and verdicts. Colours come from
// styles.css by tone; the text is always the value itself, as a text node.
import type { LatestOutcome, SignatureVerdict, UserAgentVerdict } from '../../server/common/protocol.ts';
import { categoryLabel, categoryTone, toCategoryFacet } from '../state/categories.ts';
import { PayloadText } from './payload-text.tsx';
import { markBidi } from '../state/bidi.ts';
import { formatFullTime } from '../state/format.ts';

export function CategoryBadge({ facet, raw }: { facet: string | null; raw?: string | null }) {
  const value = facet ?? (raw ? toCategoryFacet(raw) : null);
  return (
    <span class={`badge badge--cat-${categoryTone(value)}`} title={raw ? `category: ${markBidi(raw)}` : 'no category'}>
      <PayloadText text={categoryLabel(value)} />
    </span>
  );
}

// A Map: the value is payload text, and "constructor" must not find Object.prototype's.
const SENSITIVITY_TONES = new Map([['high', 'high'], ['medium', 'medium'], ['low', 'low']]);

export function SensitivityBadge({ value }: { value: string | null }) {
  if (value === null) return null;
  const tone = SENSITIVITY_TONES.get(value.toLowerCase()) ?? 'unknown';
  return <span class={`badge badge--sens-${tone}`} title="sensitivity"><PayloadText text={value} /></span>;
}

const SIG_TEXT: Record<SignatureVerdict, string> = {
  valid: 'sig valid',
  invalid: 'sig invalid',
  missing: 'sig missing',
  malformed: 'sig malformed',
  // The one word for "no signature checked", as facets, the API and the CLI say it (not "unsigned").
  unchecked: 'sig unchecked',
};

export function SignatureBadge({ verdict, long }: { verdict: SignatureVerdict; long?: boolean }) {
  return (
    <span class={`badge badge--sig-${verdict}`} title={`signature: ${verdict}`}>
      {long ? verdict : SIG_TEXT[verdict] ?? verdict}
    </span>
  );
}

/** An imported delivery: its verdicts are the first receiver's, made at receipt, not this inspector's. */
export function ImportedBadge({ importedAt, label }: { importedAt: string; label: string }) {
  return (
    <span class="badge badge--imported" data-testid="imported-badge"
      title={`imported ${formatFullTime(importedAt)}: verdict at receipt (signature and user agent were judged when it first arrived, not re-checked here)`}>
      {label}
    </span>
  );
}

export function UserAgentBadge({ verdict, always }: { verdict: UserAgentVerdict; always?: boolean }) {
  if (verdict === 'ok' && !always) return null;
  return (
    <span class={`badge badge--ua-${verdict}`} title={`user agent: ${verdict}`}>
      {verdict === 'ok' ? 'UA ok' : `UA ${verdict}`}
    </span>
  );
}

export function StatusBadge({ status }: { status: number }) {
  const tone = status >= 500 ? 'err' : status >= 400 ? 'warn' : status >= 200 && status < 300 ? 'ok' : 'other';
  return <span class={`badge badge--status-${tone}`} title="status the receiver answered">{status}</span>;
}

/** What became of the latest replay or forward of a delivery; nothing when there was none. */
export function OutcomeBadge({ kind, outcome }: { kind: 'replay' | 'forward'; outcome: LatestOutcome | null }) {
  if (outcome === null) return null;
  const verb = kind === 'replay' ? 'replayed' : 'forwarded';
  const status = outcome.status === null ? 'no answer' : String(outcome.status);
  const text = outcome.outcome === 'ok' ? `${verb} ${status}` : `${kind} failed ${status}`;
  return (
    <span class={`badge badge--after-${outcome.outcome}`} data-testid={`${kind}-outcome`} title={`latest ${kind}: ${outcome.outcome}, ${status}`}>
      {text}
    </span>
  );
}
