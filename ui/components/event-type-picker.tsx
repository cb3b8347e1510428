// Multi-select of event types grouped by category, each group with a select-all box.
import { useEffect, useRef } from 'preact/hooks';
import { UI_CATEGORIES, type UiCategory } from '../state/categories.ts';
import { toggleTypes } from '../state/send-form.ts';

interface Props {
  selected: readonly string[];
  onChange(types: string[]): void;
}

function GroupBox({ category, selected, onChange }: { category: UiCategory } & Props) {
  const box = useRef<HTMLInputElement>(null);
  const chosen = category.eventTypes.filter((t) => selected.includes(t)).length;
  const all = chosen === category.eventTypes.length;
  useEffect(() => {
    if (box.current) box.current.indeterminate = chosen > 0 && !all;
  }, [chosen, all]);
  return (
    <fieldset class="picker__group">
      <legend class="picker__legend">
        <label class="check">
          <input
            ref={box}
            type="checkbox"
            checked={all}
            onChange={() => onChange(toggleTypes(selected, category.eventTypes, !all))}
          />
          <span class={`picker__cat badge badge--cat-${category.facet}`}>{category.display}</span>
          <span class="muted small">
            {chosen}/{category.eventTypes.length}
          </span>
        </label>
      </legend>
      <div class="picker__items">
        {category.eventTypes.map((t) => (
          <label key={t} class="check check--type">
            <input
              type="checkbox"
              name="event-type"
              value={t}
              checked={selected.includes(t)}
              onChange={(e) => onChange(toggleTypes(selected, [t], e.currentTarget.checked))}
            />
            <code>{t}</code>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function EventTypePicker(props: Props) {
  return (
    <div class="picker" data-testid="type-picker">
      {UI_CATEGORIES.map((c) => (
        <GroupBox key={c.facet} category={c} {...props} />
      ))}
    </div>
  );
}
