// The JSON body of "replay with changes": a textarea checked as you type, with the parse
// error and where it is, plus format and reset.
import type { JsonCheck } from '../state/json-edit.ts';
import { prettyJson } from '../state/json-edit.ts';

interface Props {
  value: string;
  original: string;
  check: JsonCheck | null;
  onChange(value: string): void;
}

export function BodyEditor({ value, original, check, onChange }: Props) {
  const bad = check !== null && !check.ok ? check : null;
  return (
    <div class="field">
      <div class="field__row">
        <label class="field__label" for="replay-body">Body (JSON)</label>
        <span class="spacer" />
        <button type="button" class="link-button" disabled={bad !== null} onClick={() => onChange(prettyJson(value))}>
          Format
        </button>
        <button type="button" class="link-button" disabled={value === original} onClick={() => onChange(original)}>
          Reset to received
        </button>
      </div>
      <textarea
        id="replay-body"
        class={`input code body-editor${bad ? ' input--invalid' : ''}`}
        rows={14}
        spellcheck={false}
        aria-invalid={bad ? 'true' : 'false'}
        aria-describedby="replay-body-status"
        value={value}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      <p id="replay-body-status" class={bad ? 'field__error' : 'field__hint'} data-testid="json-status">
        {bad
          ? `Not valid JSON${bad.line !== null ? ` (line ${bad.line}, column ${bad.column})` : ''}: ${bad.message}`
          : `Valid JSON · ${new TextEncoder().encode(value).length} bytes · sent exactly as typed, signed afresh`}
      </p>
    </div>
  );
}
