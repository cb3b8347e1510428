// The query box. Typing applies the filter after a short pause (replacing the history
// entry while the user types); Enter applies at once and leaves a history entry. It names a
// problem inline as typed, and completes fields and values (an ARIA 1.2 combobox: ↓/↑ pick,
// Enter or Tab takes, Esc closes the list).
import type { Ref, RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Facets } from '../../server/common/protocol.ts';
import { applySuggestion, completeQuery, type Completion } from '../state/completion.ts';
import { normalizeQuery } from '../state/query.ts';
import { PayloadText } from './payload-text.tsx';
import { describeQueryProblem } from '../state/query-check.ts';
import { createDebounce } from '../state/throttle.ts';

interface SearchProps {
  q: string;
  inputRef: Ref<HTMLInputElement>;
  onApply(q: string, mode: 'push' | 'replace'): void;
  /** Counted values, offered first when completing a field's value. */
  facets?: Facets | null;
}

export function SearchBar({ q, inputRef, onApply, facets }: SearchProps) {
  const [text, setText] = useState(q);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(-1);
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

  const input = () => (inputRef as RefObject<HTMLInputElement>).current;
  const suggest = (value: string, caret: number | null) => {
    setCompletion(caret === null ? null : completeQuery(value, caret, facets ?? null));
    setActive(-1);
  };
  const take = (index: number) => {
    const s = completion?.suggestions[index];
    if (!completion || !s) return;
    const next = applySuggestion(text, completion, s);
    setText(next.text);
    debounced(next.text);
    // After the render: the caret after the inserted text, and the next step offered (values after a field).
    requestAnimationFrame(() => {
      input()?.setSelectionRange(next.caret, next.caret);
      suggest(next.text, next.caret);
    });
  };
  const open = completion !== null && completion.suggestions.length > 0;

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
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls="search-suggestions"
        aria-activedescendant={open && active >= 0 ? `search-suggestion-${active}` : undefined}
        spellcheck={false}
        autocomplete="off"
        onInput={(e) => {
          const el = e.currentTarget as HTMLInputElement;
          setText(el.value);
          debounced(el.value);
          suggest(el.value, el.selectionStart);
        }}
        onKeyDown={(e) => {
          if (!open) return;
          const n = completion.suggestions.length;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % n : (i <= 0 ? n - 1 : i - 1)));
          } else if ((e.key === 'Enter' || e.key === 'Tab') && active >= 0) {
            e.preventDefault();
            take(active);
          } else if (e.key === 'Escape') {
            // Closes the list only; a second Esc leaves the field as before.
            e.preventDefault();
            e.stopPropagation();
            setCompletion(null);
          }
        }}
        onBlur={() => {
          typing.current = false;
          setCompletion(null);
        }}
      />
      {open ? (
        <ul class="search__suggestions" id="search-suggestions" role="listbox" aria-label="Suggestions">
          {completion.suggestions.map((s, i) => (
            <li
              key={s.insert}
              id={`search-suggestion-${i}`}
              role="option"
              aria-selected={i === active}
              class={`search__suggestion${i === active ? ' search__suggestion--active' : ''}`}
              // mousedown, not click: the input keeps focus (a blur would close the list first).
              onMouseDown={(e) => {
                e.preventDefault();
                take(i);
              }}
            >
              <PayloadText class="search__suggestion-label" text={s.label} />
              {s.note ? <span class="search__suggestion-note">{s.note}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
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
