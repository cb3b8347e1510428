// The query box. Typing applies the filter after a short pause (replacing the history
// entry while the user types); Enter applies at once and leaves a history entry.
import type { Ref } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { normalizeQuery } from '../state/query.ts';
import { describeQueryProblem } from '../state/query-check.ts';
import { createDebounce } from '../state/throttle.ts';

interface SearchProps {
  q: string;
  inputRef: Ref<HTMLInputElement>;
  onApply(q: string, mode: 'push' | 'replace'): void;
}

export function SearchBar({ q, inputRef, onApply }: SearchProps) {
  const [text, setText] = useState(q);
  const typing = useRef(false);
  const apply = useRef(onApply);
  apply.current = onApply;

  // Checked as typed, named inline; the query still applies (the server says the same in its 400).
  const problem = useMemo(() => describeQueryProblem(text), [text]);
  const textRef = useRef(text);
  textRef.current = text;

  const debounced = useMemo(
    () =>
      createDebounce((value: string) => {
        // The first automatic apply of a typing session adds a history entry, later ones
        // update it, so Back returns to the query before the typing.
        apply.current(value, typing.current ? 'replace' : 'push');
        typing.current = true;
      }, 250),
    [],
  );
  useEffect(() => () => debounced.cancel(), [debounced]);

  // The query changed from outside (facet click, back button): show it. Not when it is
  // just the typed text tidied up, or the caret would lose a trailing space.
  useEffect(() => {
    if (normalizeQuery(textRef.current) !== q) {
      debounced.cancel();
      setText(q);
    }
  }, [q]);

  return (
    <form
      class={`search${problem ? ' search--problem' : ''}`}
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        debounced.cancel();
        apply.current(text, typing.current ? 'replace' : 'push');
        typing.current = false;
      }}
    >
      <span class="search__icon" aria-hidden="true" />
      <input
        ref={inputRef}
        class="search__input"
        type="text"
        name="q"
        value={text}
        placeholder="Search   event_type:policy_violation  -sig:valid  words…"
        aria-label="Search deliveries"
        aria-invalid={problem !== null}
        aria-describedby={problem ? 'search-problem' : undefined}
        spellcheck={false}
        autocomplete="off"
        onInput={(e) => {
          const value = (e.currentTarget as HTMLInputElement).value;
          setText(value);
          debounced(value);
        }}
        onBlur={() => {
          typing.current = false;
        }}
      />
      {text ? (
        <button
          type="button"
          class="search__clear"
          aria-label="Clear search"
          onClick={() => {
            debounced.cancel();
            setText('');
            apply.current('', 'push');
            typing.current = false;
          }}
        >
          ×
        </button>
      ) : (
        <kbd class="search__kbd">/</kbd>
      )}
      {problem ? (
        <span class="search__problem" id="search-problem" role="status" data-testid="search-problem">
          {problem}
        </span>
      ) : null}
    </form>
  );
}
