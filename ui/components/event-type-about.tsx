// "About this event type" in the detail pane: category, what it means, how its title reads
// and the fields it carries with their JSON types, from GET /api/event-types.
import type { EventTypeReference } from '../../server/common/protocol.ts';
import type { EventTypeIndex } from '../hooks/use-event-types.ts';
import { PayloadText } from './payload-text.tsx';

export function EventTypeAbout({ eventType, index }: { eventType: string | null; index: EventTypeIndex | null }) {
  if (eventType === null) return <p class="muted">The delivery carries no event_type.</p>;
  if (index === null) return <p class="muted">Loading the event-type reference…</p>;
  const ref: EventTypeReference | undefined = index.get(eventType);
  if (!ref) {
    return (
      <p class="muted" data-testid="event-type-about">
        <code><PayloadText text={eventType} /></code> is not one of the {index.size} documented Soveren event types.
      </p>
    );
  }
  return (
    <div data-testid="event-type-about">
      <dl class="kv">
        <dt>Type</dt>
        <dd><code>{ref.eventType}</code></dd>
        <dt>Category</dt>
        <dd>{ref.categoryLabel}</dd>
        <dt>Meaning</dt>
        <dd>{ref.description}</dd>
        <dt>Title</dt>
        <dd>
          {ref.titleTemplates.map((t, i) => (
            <code class="part" key={i}>{t}</code>
          ))}
          <span class="muted"> {ref.templateDocumented ? "(from Soveren's docs)" : '(modelled on the documented ones)'}</span>
        </dd>
      </dl>
      <table class="compare__table" data-testid="event-type-fields">
        <thead>
          <tr><th>field</th><th>type</th><th>always sent</th></tr>
        </thead>
        <tbody>
          {ref.fields.map((f) => (
            <tr key={f.name}>
              <td><code>{f.name}</code></td>
              <td><code>{f.type}</code></td>
              <td>{f.always ? 'yes' : 'may be absent'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
