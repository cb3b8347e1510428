// The right pane: one delivery in full. Summary of the event, verification, findings,
// body (tree and raw), its SIEM mappings, headers in received order, and outbound attempts.
import { rawFileName } from '../../server/common/raw-file-name.ts';
import { Fragment, type ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { DeliveryDetail, SiemFormatName, SiemMappingResponse } from '../../server/common/protocol.ts';
import { countOf, formatAgo, formatBytes, formatCount, formatFullTime } from '../state/format.ts';
import { parseEventObject, summarizeEvent, type SummaryPart } from '../state/event-summary.ts';
import { AttemptsList } from './attempts-list.tsx';
import { CategoryBadge, ImportedBadge, SensitivityBadge, SignatureBadge, StatusBadge } from './badges.tsx';
import { BodyView } from './body-view.tsx';
import { VerificationPanel } from './verification-panel.tsx';
import { EventTypeAbout } from './event-type-about.tsx';
import type { EventTypeIndex } from '../hooks/use-event-types.ts';
import { HeaderTable } from './header-table.tsx';
import { SiemView } from './siem-view.tsx';
import { PayloadText } from './payload-text.tsx';
import { ReachedSiem } from './siem-reached.tsx';
import type { Api } from '../api.ts';
import type { OutputSummary } from '../../server/common/protocol.ts';
import { outputsOf } from '../state/siem-outputs.ts';

interface DetailProps {
  detail: DeliveryDetail | null;
  loading: boolean;
  error: string | null;
  openId: number | null;
  rawUrl(id: number): string;
  onClose(): void;
  onOpen(id: number): void;
  onCopyCurl(id: number): void;
  /** The delivery as a SIEM format (the SIEM section's tabs). */
  loadSiem(id: number, format: SiemFormatName, signal: AbortSignal): Promise<SiemMappingResponse>;
  onCopy(text: string, what: string): void;
  onDelete(id: number): void;
  onReplay(id: number, withChanges: boolean): void;
  /** SIEM outputs: the API for comparisons, and outputs streamed since the detail was read. */
  siem: { api: Api; live: readonly OutputSummary[] };
  /** Event-type reference (null until loaded). */
  reference: EventTypeIndex | null;
}

function Section(props: { title: string; count?: number; children: ComponentChildren; id?: string }) {
  const [open, setOpen] = useState(true);
  return (
    <section class="dsection" data-section={props.id}>
      <button type="button" class="dsection__head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`chevron${open ? ' chevron--open' : ''}`} />
        {props.title}
        {props.count !== undefined ? <span class="dsection__count">{props.count}</span> : null}
      </button>
      {open ? <div class="dsection__body">{props.children}</div> : null}
    </section>
  );
}

function Part({ part }: { part: SummaryPart }) {
  if (part.href !== null) {
    return (
      <a class={`part${part.muted ? ' part--muted' : ''}`} href={part.href} target="_blank" rel="noopener noreferrer">
        <PayloadText text={part.text} />
      </a>
    );
  }
  return <span class={`part${part.muted ? ' part--muted' : ''}`}><PayloadText text={part.text} /></span>;
}

function EventSummary({ detail }: { detail: DeliveryDetail }) {
  const event = useMemo(() => parseEventObject(detail.bodyText), [detail]);
  const summary = useMemo(() => (event ? summarizeEvent(event) : null), [event]);
  if (!summary) return <p class="muted">The body is not a JSON object, so there is no event to summarise.</p>;
  const { rows, extraFields } = summary;
  return (
    <dl class="kv kv--summary">
      {rows.map((row) => (
        <Fragment key={row.label}>
          <dt>{row.label}</dt>
          <dd>
            {row.parts.map((p, i) => (
              <Part key={i} part={p} />
            ))}
          </dd>
        </Fragment>
      ))}
      {extraFields.length ? <OtherFields fields={extraFields} /> : null}
    </dl>
  );
}

const FIELDS_PAGE = 100;

/** Unknown top-level keys, a page at a time: a 1 MiB body can hold 100k of them. */
function OtherFields({ fields }: { fields: readonly string[] }) {
  const [shown, setShown] = useState(FIELDS_PAGE);
  const rest = fields.length - shown;
  return (
    <>
      <dt>Other fields{fields.length > FIELDS_PAGE ? ` (${formatCount(fields.length)})` : ''}</dt>
      <dd>
        {fields.slice(0, shown).map((f, i) => (
          <code class="part" key={i}>
            <PayloadText text={f} />
          </code>
        ))}
        {rest > 0 ? (
          <button type="button" class="link-button" onClick={() => setShown(shown + FIELDS_PAGE * 10)}>
            {`show ${countOf(Math.min(rest, FIELDS_PAGE * 10), 'more field')} (${formatCount(rest)} left)`}
          </button>
        ) : null}
      </dd>
    </>
  );
}

export function DetailPane(props: DetailProps) {
  const { detail, loading, error, openId } = props;
  if (openId === null) {
    return (
      <section class="detail detail--placeholder" aria-label="Delivery">
        <div class="placeholder">
          <p>Select a delivery to see its event, signature verdict, headers and body.</p>
          <p class="muted">
            <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> opens · <kbd>?</kbd> all keys
          </p>
        </div>
      </section>
    );
  }
  if (!detail) {
    return (
      <section class="detail detail--placeholder" aria-label="Delivery">
        <div class="placeholder">
          {error ? <p class="notice notice--error">{error}</p> : loading ? <p class="muted">Loading #{openId}…</p> : null}
          <button type="button" class="btn" onClick={props.onClose}>Close</button>
        </div>
      </section>
    );
  }
  const d = detail;
  return (
    <section class="detail" aria-label={`Delivery ${d.id}`} data-id={d.id}>
      <header class="detail__head">
        <div class="detail__title-row">
          <h2 class="detail__title">{d.title === null ? <span class="muted">(no title)</span> : <PayloadText text={d.title} />}</h2>
          <button type="button" class="icon-btn" aria-label="Close detail (Esc)" title="Close (Esc)" onClick={props.onClose}>
            ×
          </button>
        </div>
        <div class="detail__badges">
          <CategoryBadge facet={d.categoryFacet} raw={d.category} />
          <SensitivityBadge value={d.sensitivity} />
          <SignatureBadge verdict={d.signature} />
          {d.importedAt ? <ImportedBadge importedAt={d.importedAt} label="verdict at receipt" /> : null}
          <StatusBadge status={d.status} />
          {d.eventType !== null ? <code class="detail__type"><PayloadText text={d.eventType} /></code> : null}
        </div>
        <p class="detail__meta">
          <span>#{d.id}</span>
          <code><PayloadText text={`${d.method} ${d.path}${d.query ? `?${d.query}` : ''}`} /></code>
          <span title={formatFullTime(d.receivedAt)}>{formatFullTime(d.receivedAt)} ({formatAgo(d.receivedAt)})</span>
          <span>{formatBytes(d.size)}</span>
          {d.remoteAddress ? <span>from {d.remoteAddress}</span> : null}
        </p>
        <div class="detail__actions">
          <button type="button" class="btn btn--accent" onClick={() => props.onReplay(d.id, false)}>Replay…</button>
          <button type="button" class="btn" disabled={d.bodyText === null || d.refused !== null} onClick={() => props.onReplay(d.id, true)}>
            Replay with changes…
          </button>
          <button type="button" class="btn" onClick={() => props.onCopyCurl(d.id)}>Copy as cURL</button>
          <a class="btn" href={props.rawUrl(d.id)} download={rawFileName(d.id, d.bodyKind)}>Download raw</a>
          <span class="spacer" />
          <button type="button" class="btn btn--danger" onClick={() => props.onDelete(d.id)}>Delete</button>
        </div>
        {d.duplicateOf !== null ? (
          <p class="notice notice--info">
            Same body as{' '}
            <a
              href={`?id=${d.duplicateOf}`}
              onClick={(e) => {
                e.preventDefault();
                props.onOpen(d.duplicateOf!);
              }}
            >
              #{d.duplicateOf}
            </a>{' '}
            (a duplicate delivery or a replay).
          </p>
        ) : null}
        {d.refused ? <p class="notice notice--error">Body refused ({d.refused}); only the headers were kept.</p> : null}
        {d.importedAt ? (
          <p class="notice notice--info" data-testid="imported-note">
            Imported {formatFullTime(d.importedAt)}. Its verdicts were made at receipt, by the receiver that first took it (with that
            receiver's tokens); this inspector did not check them again.
          </p>
        ) : null}
      </header>
      <div class="detail__scroll">
        <Section title="Event" id="event">
          <EventSummary detail={d} />
        </Section>
        <Section title="Verification" id="verification">
          <VerificationPanel detail={d} api={props.siem.api} />
        </Section>
        <Section title="Findings" count={d.findings.length} id="findings">
          {d.findings.length === 0 ? (
            <p class="muted">No problems found with this delivery.</p>
          ) : (
            <ul class="findings">
              {d.findings.map((f, i) => (
                <li key={i} class={`finding finding--${f.severity}`}>
                  <span class={`badge badge--sev-${f.severity}`}>{f.severity}</span>
                  <span class="finding__msg"><PayloadText text={f.message} /></span>
                  <code class="finding__code">{f.code}</code>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="About this event type" id="event-type">
          <EventTypeAbout eventType={d.eventType} index={props.reference} />
        </Section>
        <Section title="Body" id="body">
          <BodyView key={d.id} detail={d} onCopy={props.onCopy} />
        </Section>
        <Section title="SIEM" id="siem-mapping">
          {d.bodyText === null ? (
            <p class="muted">The body is not text, so it has no SIEM mapping.</p>
          ) : (
            <SiemView key={d.id} id={d.id} load={props.loadSiem} onCopy={props.onCopy} />
          )}
        </Section>
        <Section title="Headers" count={d.headers.length} id="headers">
          <HeaderTable headers={d.headers} testId="headers" />
        </Section>
        <Section title="Reached your SIEM" count={outputsOf(d.id, d.outputs ?? [], props.siem.live).length} id="siem">
          <ReachedSiem api={props.siem.api} outputs={outputsOf(d.id, d.outputs ?? [], props.siem.live)} receivedAt={d.receivedAt} />
        </Section>
        <Section title="Attempts" count={d.attempts.length} id="attempts">
          <AttemptsList attempts={d.attempts} storedText={d.bodyText} />
        </Section>
      </div>
    </section>
  );
}
