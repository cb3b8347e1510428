// How an outbound request is signed: a fresh signature with a token typed here (a password
// field; kept only in this tab's sessionStorage, never sent but with the request), the
// received signature verbatim, or none. The last mode chosen is remembered the same way.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { recallSecret, recallSigningMode, rememberSecret, rememberSigningMode } from '../state/session-secrets.ts';
import { SIGNING_LABELS, type SigningChoice, type SigningInput } from '../state/signing.ts';

interface Props {
  value: SigningInput;
  onChange(value: SigningInput): void;
  /** Offer "keep the received signature" (replays of unchanged bodies only). */
  allowKeep: boolean;
  /** Why keeping is not offered, shown instead of the option. */
  keepNote?: string;
  tokenHint?: string;
  legend?: string;
}

let nextId = 0;

export function SigningFields({ value, onChange, allowKeep, keepNote, tokenHint, legend }: Props) {
  const [id] = useState(() => `signing-${++nextId}`);
  const choices: SigningChoice[] = allowKeep ? ['token', 'keep', 'none'] : ['token', 'none'];
  // Opened: the mode chosen last time in this tab (when offered here). Fresh signature with an
  // empty field, then or later: the token typed earlier in this tab.
  // A layout effect: the recalled mode is in place before the dialog is painted (an effect
  // waits for a frame, so the dialog first showed the default, and a quick click lost).
  const opened = useRef(true);
  useLayoutEffect(() => {
    let next = value;
    if (opened.current) {
      opened.current = false;
      const mode = recallSigningMode();
      if (mode !== null && mode !== value.choice && choices.includes(mode)) next = { ...value, choice: mode };
    }
    next = withRecalledToken(next);
    if (next !== value) onChange(next);
  }, [value.choice]);
  return (
    <fieldset class="field radios">
      <legend class="field__label">{legend ?? 'Signature'}</legend>
      {!allowKeep && keepNote ? <p class="field__hint radios__note">{keepNote}</p> : null}
      {choices.map((choice) => (
        <label key={choice} class="radio">
          <input
            type="radio"
            name={id}
            value={choice}
            checked={value.choice === choice}
            onChange={() => {
              rememberSigningMode(choice);
              onChange({ ...value, choice });
            }}
          />
          <span class="radio__text">
            {SIGNING_LABELS[choice].label}
            <span class="radio__hint">{SIGNING_LABELS[choice].hint}</span>
          </span>
        </label>
      ))}
      {value.choice === 'token' ? (
        <div class="field field--nested">
          <label class="field__label" for={`${id}-token`}>
            Token
          </label>
          <input
            id={`${id}-token`}
            class="input input--mono"
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="webhook token"
            value={value.token}
            onInput={(e) => {
              rememberSecret('signing-token', e.currentTarget.value);
              onChange({ ...value, token: e.currentTarget.value });
            }}
          />
          <p class="field__hint">{tokenHint ?? 'Used to sign this request only; remembered in this browser tab, never stored by the server.'}</p>
        </div>
      ) : null}
    </fieldset>
  );
}

function withRecalledToken(value: SigningInput): SigningInput {
  if (value.choice !== 'token' || value.token !== '') return value;
  const token = recallSecret('signing-token');
  return token === '' ? value : { ...value, token };
}
