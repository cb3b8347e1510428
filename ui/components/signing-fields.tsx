// How an outbound request is signed: a fresh signature with a token typed here (a password
// field, never stored), the received signature verbatim, or none.
import { useState } from 'preact/hooks';
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
            onChange={() => onChange({ ...value, choice })}
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
            onInput={(e) => onChange({ ...value, token: e.currentTarget.value })}
          />
          <p class="field__hint">{tokenHint ?? 'Used to sign this request only: not stored, not shown again.'}</p>
        </div>
      ) : null}
    </fieldset>
  );
}
