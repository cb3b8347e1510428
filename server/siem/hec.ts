// Splunk HTTP Event Collector event envelope around a payload: the raw Soveren event by
// default, or its OCSF / ECS mapping. Envelope keys as Splunk documents them for
// /services/collector/event (https://docs.splunk.com/Documentation/Splunk/latest/Data/FormateventsforHTTPEventCollector).
import type { FieldMapping, HecOptions } from './types.ts';
import type { Leftover } from './fields.ts';
import { mapEcs } from './ecs.ts';
import { mapOcsf } from './ocsf.ts';
import type { MapInput, Mapped } from './shared.ts';
import { ownValue } from './source.ts';

export const HEC_SOURCE = 'soveren';
const SOURCETYPE = { soveren: 'soveren:event', ocsf: 'soveren:ocsf', ecs: 'soveren:ecs' } as const;
const DEFAULT_HOST = 'soveren-inspector';
const LINK_HOST = /^https?:\/\/([^/?#:@]+)/i;

export function mapHec(input: MapInput, options: HecOptions = {}): Mapped {
  const payload = options.payload ?? 'soveren';
  const inner: Mapped | undefined = payload === 'ocsf' ? mapOcsf(input) : payload === 'ecs' ? mapEcs(input) : undefined;
  const fields: FieldMapping[] = [];
  const note = (source: string, target: string, value: unknown) => fields.push({ source, target, value });

  // Seconds with millisecond precision, as HEC's `time` takes them.
  const time = input.facts.timeMs / 1000;
  note(input.facts.timeFrom, 'time', time);
  // The host that produced the event: the Soveren tenant named in event_link, unless given.
  const link = ownValue(input.event, 'event_link');
  const linkHost = typeof link === 'string' ? LINK_HOST.exec(link)?.[1]?.toLowerCase() : undefined;
  const host = options.host ?? linkHost ?? DEFAULT_HOST;
  note(options.host !== undefined ? '(option host)' : linkHost !== undefined ? 'event_link' : '(fixed)', 'host', host);
  const envelope: Record<string, unknown> = { time, host, source: HEC_SOURCE, sourcetype: SOURCETYPE[payload] };
  note('(fixed)', 'source', HEC_SOURCE);
  note(`(payload ${payload})`, 'sourcetype', SOURCETYPE[payload]);
  if (options.index !== undefined) {
    envelope.index = options.index;
    note('(option index)', 'index', options.index);
  }
  envelope.event = inner ? inner.output : input.event;
  if (inner) for (const f of inner.fields) fields.push({ ...f, target: `event.${f.target}` });
  else note('(body)', 'event', input.event);

  // Indexed fields: strings only (Splunk refuses objects there).
  const indexed: Record<string, string> = {};
  if (input.facts.facet !== undefined) note('category', 'fields.category', (indexed.category = input.facts.facet));
  if (input.facts.eventType !== undefined) note('event_type', 'fields.event_type', (indexed.event_type = input.facts.eventType));
  const sensitivity = ownValue(input.event, 'sensitivity');
  if (typeof sensitivity === 'string') note('sensitivity', 'fields.sensitivity', (indexed.sensitivity = sensitivity));
  if (Object.keys(indexed).length > 0) envelope.fields = indexed;

  // The raw payload carries every field; a mapped payload keeps its own unmapped place.
  const leftovers: Leftover[] = inner ? inner.leftovers : [];
  const unmappedTarget = inner ? `event.${inner.unmappedTarget}` : 'event';
  return { output: envelope, fields, leftovers, unmappedTarget };
}
