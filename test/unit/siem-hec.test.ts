// Splunk HEC event envelope: time in seconds with milliseconds, host, source, sourcetype by
// payload, optional index, the payload in `event`, indexed `fields`; and mapDelivery's contract.
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvent } from '../../server/soveren/events.ts';
import { mapDelivery, SIEM_FORMATS, type HecOptions } from '../../server/siem/index.ts';
import { RECEIVED_AT, sourceOf } from '../helpers/siem.ts';

const now = new Date('2024-06-01T12:00:00.000Z');

function hec(event: unknown, options?: HecOptions) {
  const r = mapDelivery('hec', sourceOf(event), options);
  if (!r.ok) throw new Error(r.reason);
  return r.mapping as typeof r.mapping & { output: Record<string, any> };
}

describe('HEC envelope', () => {
  it('wraps the raw Soveren event by default, for every type', () => {
    for (const type of EVENT_TYPES) {
      const event = createEvent(type, { seed: 2, now });
      const { output, unmapped } = hec(event);
      expect(output).toEqual({
        time: Date.parse(event.time!) / 1000, host: 'app.soveren.io', source: 'soveren', sourcetype: 'soveren:event',
        event, fields: { category: expect.any(String), event_type: type, sensitivity: event.sensitivity },
      });
      // Seconds with exactly the milliseconds of the event time.
      expect(JSON.stringify(output.time)).toBe(String(Date.parse(event.time!)).replace(/(\d{3})$/, '.$1').replace(/\.?0+$/, ''));
      expect(unmapped).toEqual([]);
    }
  });

  it('carries the OCSF or ECS mapping with its own sourcetype, index and host when given', () => {
    const event = createEvent('policy_public_s3_bucket', { seed: 3, now });
    const ocsf = hec(event, { payload: 'ocsf', index: 'security', host: 'laptop' });
    expect(ocsf.output).toMatchObject({ sourcetype: 'soveren:ocsf', index: 'security', host: 'laptop', event: { class_uid: 2006 } });
    expect(ocsf.output.event).toEqual((mapDelivery('ocsf', sourceOf(event)) as any).mapping.output);
    expect(ocsf.unmappedTarget).toBe('event.unmapped');
    const ecs = hec(event, { payload: 'ecs' });
    expect(ecs.output).toMatchObject({ sourcetype: 'soveren:ecs', event: { ecs: { version: '9.4.0' } } });
    expect(ecs.output.index).toBeUndefined();
  });

  it('indexed fields are strings only; the facet of any category form', () => {
    const { output } = hec({ ...createEvent('policy_violation', { seed: 1, now }), category: 'Policy violation', sensitivity: 5 });
    expect(output.fields).toEqual({ category: 'data_at_risk', event_type: 'policy_violation' });
    expect(hec({}).output).toEqual({ time: Date.parse(RECEIVED_AT) / 1000, host: 'soveren-inspector', source: 'soveren', sourcetype: 'soveren:event', event: {} });
  });
});

describe('mapDelivery', () => {
  it('lists source -> target rows and what had no target, for every format', () => {
    const event = { ...createEvent('3rd_party_policy_violation', { seed: 1, now }), vendor_note: 'kept' };
    for (const format of SIEM_FORMATS) {
      const r = mapDelivery(format, sourceOf(event));
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.mapping.format).toBe(format);
      expect(r.mapping.fields.length).toBeGreaterThan(5);
      for (const f of r.mapping.fields) expect(typeof f.source === 'string' && typeof f.target === 'string').toBe(true);
      if (format !== 'hec') expect(r.mapping.unmapped).toContainEqual({ source: 'vendor_note', value: 'kept' });
      expect(typeof r.mapping.output === 'string').toBe(format === 'cef');
    }
  });

  it('is pure: the same input gives the same output and the input is not changed', () => {
    const source = sourceOf(createEvent('new_data_storage', { seed: 4, now }));
    const before = Buffer.from(source.body).toString('base64');
    for (const format of SIEM_FORMATS) expect(JSON.stringify(mapDelivery(format, source))).toBe(JSON.stringify(mapDelivery(format, source)));
    expect(Buffer.from(source.body).toString('base64')).toBe(before);
  });
});
