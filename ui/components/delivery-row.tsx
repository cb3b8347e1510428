// One fixed-height row of the delivery list: title and time, then id, type and badges.
import { Component } from 'preact';
import type { DeliverySummary } from '../../server/common/protocol.ts';
import { categoryTone } from '../state/categories.ts';
import { formatBytes, formatShortTime } from '../state/format.ts';
import { CategoryBadge, ImportedBadge, OutcomeBadge, SensitivityBadge, SignatureBadge, StatusBadge, UserAgentBadge } from './badges.tsx';
import { PayloadText } from './payload-text.tsx';

interface RowProps {
  delivery: DeliverySummary;
  top: number;
  selected: boolean;
  open: boolean;
  onOpen(id: number): void;
}

function untitled(d: DeliverySummary): string {
  if (d.refused) return `refused: ${d.refused}`;
  if (d.bodyKind === 'empty') return '(empty body)';
  if (d.bodyKind !== 'json') return `(${d.bodyKind} body)`;
  return '(no title)';
}

function RowView({ delivery: d, top, selected, open, onOpen }: RowProps) {
  const odd = d.method !== 'POST' || d.path !== '/';
  return (
    <div
      class={`row${selected ? ' row--selected' : ''}${open ? ' row--open' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="option"
      aria-selected={selected}
      data-id={d.id}
      onClick={() => onOpen(d.id)}
    >
      <span class={`row__stripe tone-${categoryTone(d.categoryFacet)}`} />
      <div class="row__line">
        <span class={`row__title${d.title === null ? ' row__title--none' : ''}`}>{d.title === null ? untitled(d) : <PayloadText text={d.title} />}</span>
        <time class="row__time" dateTime={d.receivedAt}>{formatShortTime(d.receivedAt)}</time>
      </div>
      <div class="row__line row__meta">
        <span class="row__id">#{d.id}</span>
        <CategoryBadge facet={d.categoryFacet} raw={d.category} />
        <SensitivityBadge value={d.sensitivity} />
        <SignatureBadge verdict={d.signature} />
        {d.status < 200 || d.status >= 300 ? <StatusBadge status={d.status} /> : null}
        {d.duplicateOf !== null ? <span class="badge badge--dup" title={`duplicate of #${d.duplicateOf}`}>dup</span> : null}
        {d.importedAt ? <ImportedBadge importedAt={d.importedAt} label="imported" /> : null}
        {d.findingCount > 0 ? <span class="badge badge--lint" title="lint findings">{d.findingCount} lint</span> : null}
        <UserAgentBadge verdict={d.userAgent} />
        <OutcomeBadge kind="replay" outcome={d.replay} />
        <OutcomeBadge kind="forward" outcome={d.forward} />
        <span class="row__type">{d.eventType === null ? '' : <PayloadText text={d.eventType} />}</span>
        {odd ? <span class="row__path"><PayloadText text={`${d.method} ${d.path}`} /></span> : <span class="row__size">{formatBytes(d.size)}</span>}
      </div>
    </div>
  );
}

/** Re-renders only when its own props change: live arrivals re-render the list, not every row. */
export class DeliveryRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return p.delivery !== next.delivery || p.top !== next.top || p.selected !== next.selected || p.open !== next.open || p.onOpen !== next.onOpen;
  }
  override render() {
    return <RowView {...this.props} />;
  }
}
