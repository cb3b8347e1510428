// What one attempt sent: signing mode, payload format, and for "replay with changes" the
// edited body's SHA-256 with a line diff against the stored body. Bodies are payload
// text: rendered as text nodes only.
import type { Attempt, AttemptSent } from '../../server/common/protocol.ts';
import { countChanges, diffLines, prettyForDiff } from '../state/line-diff.ts';

const SIGNING_TEXT: Record<AttemptSent['signing'], string> = {
  fresh: 'fresh signature (signed now with a token)',
  kept: 'kept: the received x-soveren-signature, verbatim',
  none: 'no signature header',
};

const PREFIX = { same: '  ', removed: '- ', added: '+ ' } as const;

function BodyDiff({ stored, edited }: { stored: string | null; edited: string }) {
  if (stored === null) return <p class="muted small">The stored body is not text; no diff.</p>;
  const lines = diffLines(prettyForDiff(stored), prettyForDiff(edited));
  const { removed, added } = countChanges(lines);
  return (
    <>
      <p class="small" data-testid="attempt-diff-summary">
        {removed === 0 && added === 0
          ? 'Same content as the stored body (formatting aside).'
          : `Against the stored body: ${removed} line${removed === 1 ? '' : 's'} removed, ${added} added.`}
      </p>
      <pre class="code diff" data-testid="attempt-diff">
        {lines.map((l, i) => (
          <span key={i} class={`diff__line diff__line--${l.op}`} data-op={l.op}>{PREFIX[l.op]}{l.text}{'\n'}</span>
        ))}
      </pre>
    </>
  );
}

export function AttemptSentView({ attempt, storedText }: { attempt: Attempt; storedText: string | null }) {
  const s = attempt.sent;
  if (s === null) return <p class="muted small" data-testid="attempt-sent">What was sent was not recorded for this attempt (made by an older version).</p>;
  return (
    <div class="attempt__sent" data-testid="attempt-sent" data-signing={s.signing} data-format={s.format} data-edited={s.editedBody !== null ? 'true' : 'false'}>
      <dl class="stats stats--small">
        <div><dt>Signing</dt><dd data-testid="attempt-signing">{SIGNING_TEXT[s.signing]}</dd></div>
        <div><dt>Format</dt><dd>{s.format}</dd></div>
        <div><dt>Target</dt><dd><code>{attempt.target}</code></dd></div>
        <div>
          <dt>Body</dt>
          <dd>{s.editedBody === null ? 'the stored bytes, unchanged' : <>edited, SHA-256 <code data-testid="attempt-edited-sha">{s.editedSha256}</code></>}</dd>
        </div>
      </dl>
      {s.editedBody !== null ? <BodyDiff stored={storedText} edited={s.editedBody} /> : null}
    </div>
  );
}
