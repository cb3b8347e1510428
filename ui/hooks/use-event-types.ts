// The event-type reference (GET /api/event-types), fetched once per page: facet tooltips and
// the detail pane's "About this event type" read it by type name.
import { useEffect, useState } from 'preact/hooks';
import type { EventTypeReference } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';

export type EventTypeIndex = ReadonlyMap<string, EventTypeReference>;

export function useEventTypes(api: Api): EventTypeIndex | null {
  const [index, setIndex] = useState<EventTypeIndex | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    api.eventTypes(ctrl.signal).then(
      (page) => setIndex(new Map(page.items.map((item) => [item.eventType, item]))),
      // Optional help: without it the facets and the detail simply show less.
      () => undefined,
    );
    return () => ctrl.abort();
  }, [api]);
  return index;
}

/** One line for a tooltip: what the type is and how its title reads. */
export function describeEventType(ref: EventTypeReference): string {
  const templates = ref.titleTemplates.map((t) => `“${t}”`).join(' or ');
  return `${ref.description}${templates ? `\nTitle: ${templates}` : ''}`;
}
