// The left pane: counts per category, event type (grouped by category), sensitivity,
// verdicts and path under the current filter. Values are checkboxes: ticking a second value
// of a field means either (the server counts a field without its own pick, so the others
// keep their counts); Alt/Ctrl/⌘-click excludes, clicking an active value removes it.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { FacetCount, Facets } from '../../server/common/protocol.ts';
import { SIGNATURE_VERDICTS, USER_AGENT_VERDICTS } from '../../server/common/catalog.ts';
import { categoryLabel, categoryTone, groupEventTypes, toCategoryFacet } from '../state/categories.ts';
import { formatCount } from '../state/format.ts';
import { fieldTokens, tokenState, type QueryField } from '../state/query.ts';
import { PayloadText } from './payload-text.tsx';
import { markBidi } from '../state/bidi.ts';
import { describeEventType, type EventTypeIndex } from '../hooks/use-event-types.ts';

interface PanelProps {
  facets: Facets | null;
  q: string;
  onToggle(field: QueryField, value: string, exclude: boolean): void;
  /** Event-type reference for the tooltips (null until loaded). */
  reference?: EventTypeIndex | null;
  /** Narrow windows show the panel as a drawer: its close button calls this. */
  onCloseDrawer?(): void;
}

const ORDER: Partial<Record<QueryField, string[]>> = {
  category: ['data_at_risk', 'infrastructure_updates', 'misconfiguration', 'other'],
  sensitivity: ['High', 'Medium', 'Low'],
  sig: [...SIGNATURE_VERDICTS],
  ua: [...USER_AGENT_VERDICTS],
};

/** Counts plus any value the query names that has no count (an excluded one, say). */
function withActive(field: QueryField, counts: readonly FacetCount[], q: string): FacetCount[] {
  const out = [...counts];
  const norm = (v: string) => (field === 'category' ? toCategoryFacet(v) : v.toLowerCase());
  const present = new Set(out.map((c) => norm(c.value)));
  for (const t of fieldTokens(q, field)) {
    const value = field === 'category' ? toCategoryFacet(t.value) : t.value;
    if (!present.has(norm(value))) {
      present.add(norm(value));
      out.push({ value, count: 0 });
    }
  }
  const order = ORDER[field];
  if (order) {
    const rank = (v: string) => {
      const i = order.findIndex((o) => o.toLowerCase() === v.toLowerCase());
      return i < 0 ? order.length : i;
    };
    out.sort((a, b) => rank(a.value) - rank(b.value) || b.count - a.count);
  }
  return out;
}

function FacetItem(props: {
  field: QueryField;
  item: FacetCount;
  label: string;
  q: string;
  tone?: string;
  /** What the value means, shown first in the tooltip. */
  hint?: string;
  onToggle: PanelProps['onToggle'];
}) {
  const { field, item, label, q, tone, hint, onToggle } = props;
  const state = tokenState(q, field, item.value);
  return (
    <li>
      <button
        type="button"
        class={`facet${state ? ` facet--${state}` : ''}`}
        data-field={field}
        data-value={item.value}
        aria-pressed={state !== null}
        title={`${hint ? `${hint}\n` : ''}${field}:${markBidi(item.value)} — click to ${state ? 'remove' : 'tick (several of a field: either)'}, Alt-click to exclude`}
        onClick={(e: MouseEvent) => onToggle(field, item.value, e.altKey || e.ctrlKey || e.metaKey)}
      >
        {tone ? <span class={`facet__dot tone-${tone}`} /> : null}
        <span class={`facet__mark${state ? ` facet__mark--${state}` : ''}`} aria-hidden="true">{state === 'include' ? '✓' : state === 'exclude' ? '−' : ''}</span>
        <PayloadText class="facet__label" text={label} />
        <span class="facet__count">{state === 'exclude' ? '' : formatCount(item.count)}</span>
      </button>
    </li>
  );
}

function Section(props: { title: string; children: ComponentChildren; empty?: boolean }) {
  const [open, setOpen] = useState(true);
  return (
    <section class="facets__section">
      <button type="button" class="facets__heading" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`chevron${open ? ' chevron--open' : ''}`} />
        {props.title}
      </button>
      {open ? props.empty ? <p class="facets__none">none</p> : props.children : null}
    </section>
  );
}

function SimpleFacet(props: {
  title: string;
  field: QueryField;
  counts: readonly FacetCount[];
  q: string;
  limit?: number;
  onToggle: PanelProps['onToggle'];
}) {
  const [all, setAll] = useState(false);
  const items = withActive(props.field, props.counts, props.q);
  const limit = props.limit ?? Infinity;
  const shown = all ? items : items.slice(0, limit);
  return (
    <Section title={props.title} empty={items.length === 0}>
      <ul class="facets__list">
        {shown.map((item) => (
          <FacetItem key={item.value} field={props.field} item={item} label={item.value} q={props.q} onToggle={props.onToggle} />
        ))}
      </ul>
      {items.length > shown.length || all ? (
        <button type="button" class="facets__more" onClick={() => setAll(!all)}>
          {all ? 'show fewer' : `show all ${items.length}`}
        </button>
      ) : null}
    </Section>
  );
}

function DrawerClose({ onClose }: { onClose?: () => void }) {
  if (!onClose) return null;
  return (
    <button type="button" class="icon-btn drawer-close" aria-label="Hide filters" title="Hide filters (Esc)" onClick={onClose}>
      ×
    </button>
  );
}

export function FacetPanel({ facets, q, onToggle, reference, onCloseDrawer }: PanelProps) {
  if (!facets) return <aside class="facets facets--loading" aria-label="Filters"><DrawerClose onClose={onCloseDrawer} /></aside>;
  if (facets.total === 0 && q === '') {
    return (
      <aside class="facets" aria-label="Filters">
        <DrawerClose onClose={onCloseDrawer} />
        <p class="facets__empty">Filters by category, event type, sensitivity, signature, user agent and path appear with the first delivery.</p>
      </aside>
    );
  }
  const categories = withActive('category', facets.category, q);
  const groups = groupEventTypes(withActive('event_type', facets.eventType, q));
  return (
    <aside class="facets" aria-label="Filters">
      <DrawerClose onClose={onCloseDrawer} />
      <Section title="Category" empty={categories.length === 0}>
        <ul class="facets__list">
          {categories.map((item) => (
            <FacetItem
              key={item.value}
              field="category"
              item={item}
              label={categoryLabel(item.value)}
              tone={categoryTone(item.value)}
              q={q}
              onToggle={onToggle}
            />
          ))}
        </ul>
      </Section>
      <Section title="Event type" empty={groups.length === 0}>
        {groups.map((group) => (
          <div class="facets__group" key={group.facet ?? '?'}>
            <div class="facets__group-title">{group.label}</div>
            <ul class="facets__list">
              {group.items.map((item) => (
                <FacetItem
                  key={item.value}
                  field="event_type"
                  item={item}
                  label={item.value}
                  hint={reference?.has(item.value) ? describeEventType(reference.get(item.value)!) : undefined}
                  q={q}
                  onToggle={onToggle}
                />
              ))}
            </ul>
          </div>
        ))}
      </Section>
      <SimpleFacet title="Sensitivity" field="sensitivity" counts={facets.sensitivity} q={q} onToggle={onToggle} />
      <SimpleFacet title="Signature" field="sig" counts={facets.signature} q={q} onToggle={onToggle} />
      <SimpleFacet title="User agent" field="ua" counts={facets.userAgent} q={q} onToggle={onToggle} />
      <SimpleFacet title="Path" field="path" counts={facets.path} q={q} limit={8} onToggle={onToggle} />
      <p class="facets__hint">Tick several values of a field for either · Alt-click to exclude</p>
    </aside>
  );
}
