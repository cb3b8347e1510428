// JSON Schemas (draft 2020-12) of Soveren's webhook events, from the catalog: one for the
// envelope (any event type, forward compatible) and one per documented event type pinning
// `event_type` with `const` and `category` to that type's category in every naming form.
// Unknown fields stay allowed (a receiver must keep them). `soveren-inspector schema`
// prints the document; the lint (lint.ts) checks the same rules and the tests hold them equal.
import { CATEGORIES, SENSITIVITIES } from '../common/catalog.ts';
import { EVENT_TYPE_DOCS } from '../common/event-type-docs.ts';
import { ISO_8601_PATTERN } from './lint.ts';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type Schema = Record<string, unknown>;

const link = { type: 'string', description: 'Link into the Soveren app' };
const asset: Schema = {
  type: 'object',
  description: 'A service, data store or external party',
  properties: {
    link, name: { type: 'string' }, namespace: { type: 'string' },
    groups: { type: 'array', items: { type: 'object', properties: { link, name: { type: 'string' } } } },
  },
};

/** Every documented field; all optional (Soveren may omit any), unknown ones allowed. */
function properties(): Record<string, Schema> {
  return {
    title: { type: 'string', description: 'Human-readable summary' },
    sensitivity: { enum: [...SENSITIVITIES] },
    time: { type: 'string', pattern: ISO_8601_PATTERN, description: 'When it happened: JS Date.prototype.toISOString() form' },
    event_link: link,
    category: { type: 'string', description: 'Category in any naming form (display, slug or legacy)' },
    event_type: { type: 'string' },
    data_types: { type: 'array', items: { type: 'string' } },
    event_triggered_by: { enum: ['sending', 'receiving'] },
    sending: { $ref: '#/$defs/asset' },
    receiving: { $ref: '#/$defs/asset' },
    endpoint: { type: 'object', properties: { link, url: { type: 'string' }, hostname: { type: 'string' }, method: { type: 'string' } } },
    policy: { type: 'object', properties: { link, name: { type: 'string' } } },
    conflicting_assets: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, link } } },
    ...Object.fromEntries(['third_party_ip', 'user_agent', 'release_notes_link', 'evidence_link', 'object_type', 'entity_name',
      's3_bucket', 'database_type', 'database_name', 'table', 'collection', 'topic', 'scheme'].map((f) => [f, { type: 'string' }])),
  };
}

function baseSchema(id: string, title: string, description: string): Schema {
  return {
    $schema: SCHEMA_DIALECT, $id: id, title, description,
    type: 'object',
    // What the lint warns about when missing; Soveren sends all three.
    required: ['title', 'category', 'event_type'],
    properties: properties(),
    additionalProperties: true,
    $defs: { asset },
  };
}

export interface SchemaDocument {
  $comment: string;
  envelope: Schema;
  eventTypes: Record<string, Schema>;
}

export function buildSchemaDocument(): SchemaDocument {
  const eventTypes: Record<string, Schema> = {}; // keys: the catalog's own event types
  for (const c of CATEGORIES) {
    for (const type of c.eventTypes) {
      const s = baseSchema(`urn:soveren-inspector:event:${type}`, type, EVENT_TYPE_DOCS.get(type)!.description);
      const props = s.properties as Record<string, Schema>;
      props.event_type = { const: type };
      props.category = { enum: [c.display, c.facet, ...c.aliases], description: `${c.display}, in any of its naming forms` };
      eventTypes[type] = s;
    }
  }
  return {
    $comment: 'JSON Schemas (draft 2020-12) of Soveren webhook events: envelope = any event; eventTypes = one per documented event_type.',
    envelope: baseSchema('urn:soveren-inspector:event', 'Soveren webhook event', 'Any Soveren event; unknown event types and categories are allowed (forward compatible).'),
    eventTypes,
  };
}
