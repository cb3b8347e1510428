// The URL a sender form sends to, with the recently used targets one click away.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface Props {
  label: string;
  value: string;
  recent: readonly string[];
  onChange(value: string): void;
  placeholder?: string;
  hint?: ComponentChildren;
  autofocus?: boolean;
  name?: string;
}

let nextId = 0;

export function TargetField(props: Props) {
  const [id] = useState(() => `target-${++nextId}`);
  const others = props.recent.filter((u) => u !== props.value);
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {props.label}
      </label>
      <input
        id={id}
        class="input input--mono"
        type="url"
        name={props.name ?? 'target'}
        inputMode="url"
        spellcheck={false}
        autocomplete="off"
        placeholder={props.placeholder ?? 'http://127.0.0.1:8080/webhook'}
        value={props.value}
        data-autofocus={props.autofocus ? '' : undefined}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
      {others.length ? (
        <div class="recent" aria-label="Recent targets">
          <span class="recent__label">Recent</span>
          {others.map((url) => (
            <button type="button" key={url} class="chip" title={`Use ${url}`} aria-label={`Use ${url}`} onClick={() => props.onChange(url)}>
              {url}
            </button>
          ))}
        </div>
      ) : null}
      {props.hint ? <p class="field__hint">{props.hint}</p> : null}
    </div>
  );
}
