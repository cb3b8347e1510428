// The event-type reference (GET /api/event-types): for each documented type its category,
// description and title templates (common/event-type-docs.ts), and the fields it carries
// with their JSON types and an example, read off events the built-in sender makes.
import type { EventFieldInfo, EventTypeReference } from '../common/protocol.ts';
import { CATEGORIES } from '../common/catalog.ts';
import { EVENT_TYPE_DOCS } from '../common/event-type-docs.ts';
import { createEvent } from './events.ts';

/** JSON type of a value, arrays by their items: string[] or object[]. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const items = [...new Set(value.map(jsonTypeOf))];
    return items.length === 1 ? `${items[0]}[]` : 'array';
  }
  return typeof value === 'object' ? 'object' : typeof value;
}

/** Fields seen over `samples` events per type (the sender varies what a type carries). */
export function describeEventTypes(samples = 40): EventTypeReference[] {
  const now = new Date(Date.UTC(2026, 0, 15, 12));
  return CATEGORIES.flatMap((category) => category.eventTypes.map((eventType): EventTypeReference => {
    const events = Array.from({ length: samples }, (_, index) => createEvent(eventType, { seed: 7, index, now }) as Record<string, unknown>);
    const seen = new Map<string, { type: string; count: number; example: unknown }>();
    for (const e of events) {
      for (const [name, value] of Object.entries(e)) {
        const s = seen.get(name);
        if (s) s.count++;
        else seen.set(name, { type: jsonTypeOf(value), count: 1, example: value });
      }
    }
    const fields: EventFieldInfo[] = [...seen].map(([name, s]) => ({ name, type: s.type, always: s.count === samples, example: s.example }));
    const doc = EVENT_TYPE_DOCS.get(eventType)!;
    return {
      eventType,
      category: category.facet,
      categoryLabel: category.display,
      description: doc.description,
      titleTemplates: [...doc.titleTemplates],
      templateDocumented: doc.documented,
      fields,
      example: events[0]!,
    };
  }));
}
