// OCSF 1.8.0 Data Security Finding: every event type validates against the schema extract
// (test/fixtures, from scripts/extract-ocsf.ts), field rules of issue #13 hold, nothing is lost,
// and the validator itself fails when a required attribute is dropped.
import { describe, expect, it } from 'vitest';
import { CATEGORIES, EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvent, type CategoryForm } from '../../server/soveren/events.ts';
import { mapDelivery, type SiemMapping } from '../../server/siem/index.ts';
import { loadOcsfSchema, validateOcsf } from '../helpers/ocsf-validator.ts';
import { expectNothingLost, RECEIVED_AT, sourceOf, valueAt } from '../helpers/siem.ts';

const schema = loadOcsfSchema();
const now = new Date('2024-06-01T12:00:00.000Z');

function ocsf(event: unknown, receivedAt?: string): SiemMapping & { output: Record<string, any> } {
  const result = mapDelivery('ocsf', sourceOf(event, receivedAt));
  if (!result.ok) throw new Error(result.reason);
  return result.mapping as SiemMapping & { output: Record<string, any> };
}

const facetOf = (type: string) => CATEGORIES.find((c) => c.eventTypes.includes(type))!.facet;
// Independent of the mapping's table: the data-at-rest sensor's types by what they name.
const atRest = (type: string) => /storage|storing|s3|rds|_dar$|^dar_|discovery/.test(type);

describe('OCSF mapping of all 29 event types', () => {
  it('the fixture names its source version and licence', () => {
    expect(schema.version).toBe('1.8.0');
    expect(schema.license).toBe('Apache-2.0');
    expect(schema.class.uid).toBe(2006);
  });

  for (const type of EVENT_TYPES) {
    it(`${type}: valid class 2006 with the issue's field rules`, () => {
      for (const [seed, form] of [[1, 'display'], [2, 'slug'], [3, 'legacy']] as [number, CategoryForm][]) {
        const event = createEvent(type, { seed, now, categoryForm: form });
        const { output, fields } = ocsf(event);
        expect(validateOcsf(output, schema)).toEqual([]);
        expect(output).toMatchObject({ category_uid: 2, class_uid: 2006, activity_id: 1, type_uid: 200601 });
        expect(output.severity_id).toBe({ High: 4, Medium: 3, Low: 2 }[event.sensitivity!]);
        expect(output.severity).toBe(event.sensitivity);
        expect(output.time).toBe(Date.parse(event.time!));
        expect(output.metadata).toMatchObject({ product: { name: 'Soveren', vendor_name: 'Soveren' }, version: '1.8.0', original_time: event.time });
        expect(output.finding_info.uid).toBe(event.event_link!.split('/events/')[1]);
        expect(output.finding_info.title).toBe(event.title);
        expect(output.finding_info.types).toEqual([facetOf(type), type]);
        expect(output.finding_info.src_url).toBe(event.event_link);
        expect(output.message).toBe(event.title);
        expect(output.data_security.detection_system_id).toBe(12);
        expect(output.data_security.data_lifecycle_state_id).toBe(atRest(type) ? 1 : 2);
        if (event.s3_bucket) expect(output.databucket).toMatchObject({ name: event.s3_bucket, type_id: 1 });
        if (type === 'policy_unencrypted_rds') expect(output.database).toMatchObject({ name: event.database_name, uid: event.entity_name, type_id: 1 });
        if (event.sending) expect(output.resources).toContainEqual(expect.objectContaining({ name: event.sending.name, uid: event.sending.link }));
        if (event.receiving) expect(output.resources).toContainEqual(expect.objectContaining({ name: event.receiving.name, uid: event.receiving.link }));
        if (event.third_party_ip) expect(output.dst_endpoint.ip).toBe(event.third_party_ip);
        if (event.endpoint) expect(output.dst_endpoint.hostname).toBe(event.endpoint.hostname);
        // Every field row names where its value is in the output.
        for (const f of fields) if (!f.target.includes('..')) expect(valueAt(output, f.target), f.target).toEqual(f.value);
        expectNothingLost(event, ocsf(event));
      }
    });
  }

  it('puts what OCSF has no attribute for in unmapped, nested as in the event', () => {
    const event = { ...createEvent('3rd_party_policy_violation', { seed: 4, now }), custom: { deep: { value: [1, 2] } } };
    const { output, unmapped } = ocsf(event);
    expect(output.unmapped.custom).toEqual({ deep: { value: [1, 2] } });
    expect(output.unmapped.endpoint).toMatchObject({ url: event.endpoint!.url, method: event.endpoint!.method });
    expect(output.unmapped.user_agent).toBe(event.user_agent);
    expect(unmapped).toContainEqual({ source: 'custom', value: { deep: { value: [1, 2] } } });
  });

  it('maps services and conflicting assets to resources only when each is exactly {name, link} of strings', () => {
    const base = createEvent('3rd_party_policy_violation', { seed: 4, now });
    const assets = [{ name: 'Vendor A', link: 'https://app.soveren.io/data-map/assets/1' }, { link: 'https://app.soveren.io/data-map/assets/2' }];
    const event = { ...base, sending: { name: 'svc', link: 'https://app.soveren.io/svc', groups: [{ name: 'team', link: 'https://app.soveren.io/g/1' }] }, conflicting_assets: assets };
    const { output } = ocsf(event);
    expect(validateOcsf(output, schema)).toEqual([]);
    expect(output.resources[0]).toEqual({ name: 'svc', uid: 'https://app.soveren.io/svc', group: { name: 'team', uid: 'https://app.soveren.io/g/1' }, role_id: 2, role: 'Actor' });
    expect(output.resources.slice(-2)).toEqual([
      { name: 'Vendor A', uid: 'https://app.soveren.io/data-map/assets/1', role_id: 4, role: 'Related' },
      { uid: 'https://app.soveren.io/data-map/assets/2', role_id: 4, role: 'Related' },
    ]);
    expect(output.unmapped?.conflicting_assets).toBeUndefined();
    expectNothingLost(event, ocsf(event));
    // One asset with another key, a number, or nothing at all: the list stays whole in unmapped.
    for (const odd of [{ name: 'x', link: 'y', extra: 'z' }, { name: 7 }, {}]) {
      const list = [...assets, odd];
      const other = ocsf({ ...base, conflicting_assets: list }).output;
      expect(other.unmapped.conflicting_assets, JSON.stringify(odd)).toEqual(list);
      expect(other.resources.some((r: { role?: string }) => r.role === 'Related')).toBe(false);
    }
  });

  it('is deterministic', () => {
    for (const type of EVENT_TYPES) {
      const event = createEvent(type, { seed: 8, now });
      expect(JSON.stringify(ocsf(event).output)).toBe(JSON.stringify(ocsf(event).output));
    }
  });
});

describe('OCSF edge cases', () => {
  const base = createEvent('policy_violation', { seed: 5, now });

  it('missing time: the received time, a finding, still valid', () => {
    const { time: _, ...event } = base;
    const m = ocsf(event);
    expect(m.output.time).toBe(Date.parse(RECEIVED_AT));
    expect(m.output.metadata.original_time).toBeUndefined();
    expect(m.findings.map((f) => f.code)).toEqual(['siem_time_fallback']);
    expect(validateOcsf(m.output, schema)).toEqual([]);
  });

  it('invalid time: the received time, the raw string kept in original_time', () => {
    for (const time of ['yesterday', '2024-13-45T99:00:00Z', '']) {
      const m = ocsf({ ...base, time });
      expect(m.output.time).toBe(Date.parse(RECEIVED_AT));
      expect(m.output.metadata.original_time).toBe(time);
      expect(m.findings[0]?.code).toBe('siem_time_fallback');
      expect(validateOcsf(m.output, schema)).toEqual([]);
    }
    const numeric = ocsf({ ...base, time: 1717243200 });
    expect(numeric.output.unmapped.time).toBe(1717243200);
    expect(validateOcsf(numeric.output, schema)).toEqual([]);
  });

  it('unknown or missing severity: severity_id 0, the original value in severity', () => {
    expect(ocsf({ ...base, sensitivity: 'Critical' }).output).toMatchObject({ severity_id: 0, severity: 'Critical' });
    const { sensitivity: _, ...none } = base;
    const m = ocsf(none);
    expect(m.output.severity_id).toBe(0);
    expect(m.output.severity).toBeUndefined();
    expect(validateOcsf(m.output, schema)).toEqual([]);
    expect(ocsf({ ...base, sensitivity: 'high' }).output.severity_id).toBe(4);
    expect(ocsf({ ...base, sensitivity: 3 }).output.unmapped.sensitivity).toBe(3);
  });

  it('non-ASCII text is carried unchanged', () => {
    const title = 'Données 🔒 在 ‏עברית‎ \u0000 "quoted" \\ end';
    const m = ocsf({ ...base, title, data_types: ['Номер паспорта', '電話番号'] });
    expect(m.output.message).toBe(title);
    expect(m.output.finding_info.tags[0].values).toEqual(['Номер паспорта', '電話番号']);
    expect(validateOcsf(m.output, schema)).toEqual([]);
  });

  it('an event with nothing but unknown fields, or nothing at all, is still a valid finding', () => {
    for (const event of [{}, { foo: 'bar' }, { title: 42, category: null, event_type: ['x'], sending: 'svc' }]) {
      const m = ocsf(event);
      expect(validateOcsf(m.output, schema)).toEqual([]);
      expect(m.output.finding_info.uid).toMatch(/^[0-9a-f]{64}$/); // the body's SHA-256
      expectNothingLost(event as Record<string, unknown>, m);
    }
  });

  it('keys that mean something to JavaScript stay plain data', () => {
    const body = '{"title":"t","__proto__":{"polluted":true},"constructor":"c","sending":{"__proto__":"x","name":"svc"}}';
    const m = ocsf(body);
    expect(Object.hasOwn(m.output.unmapped, '__proto__')).toBe(true);
    expect(m.output.unmapped.constructor).toBe('c');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(m.output)).unmapped.__proto__).toEqual({ polluted: true });
  });

  it('an invalid third-party IP stays unmapped instead of breaking ip_t', () => {
    const m = ocsf({ ...createEvent('3rd_party_policy_violation', { seed: 6, now }), third_party_ip: 'not-an-ip' });
    expect(m.output.dst_endpoint.ip).toBeUndefined();
    expect(m.output.unmapped.third_party_ip).toBe('not-an-ip');
    expect(validateOcsf(m.output, schema)).toEqual([]);
  });

  it('a link without an event id: the body SHA-256 is the finding uid', () => {
    const source = sourceOf({ ...base, event_link: 'https://example.com/x' });
    const r = mapDelivery('ocsf', source);
    expect(r.ok && (r.mapping.output as any).finding_info.uid).toBe(source.bodySha256);
  });

  it('a body that is not a JSON object is refused with the reason', () => {
    const cases: [string | Uint8Array, RegExp][] = [
      ['[1,2]', /an array/], ['null', /null/], ['42', /a number/], ['"s"', /a string/],
      ['{"a":', /not valid JSON/], ['', /empty/], [new Uint8Array([0x7b, 0xff, 0x7d]), /UTF-8/],
    ];
    for (const [body, reason] of cases) {
      const source = typeof body === 'string' ? sourceOf(body) : { ...sourceOf(''), body };
      const r = mapDelivery('ocsf', source);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });
});

describe('the OCSF validator fails when it should (mutation test)', () => {
  const valid = ocsf(createEvent('policy_unencrypted_s3_bucket', { seed: 7, now })).output;
  const clone = () => JSON.parse(JSON.stringify(valid)) as Record<string, any>;

  it('accepts the unmutated event', () => {
    expect(validateOcsf(valid, schema)).toEqual([]);
  });

  it('reports each dropped required attribute, at any depth', () => {
    const required = ['time', 'severity_id', 'metadata', 'finding_info', 'class_uid', 'category_uid', 'activity_id', 'type_uid',
      'metadata.product', 'metadata.version', 'finding_info.uid', 'databucket.type_id'];
    for (const path of required) {
      const event = clone();
      const keys = path.split('.');
      delete keys.slice(0, -1).reduce((node, k) => node[k], event)[keys.at(-1)!];
      expect(validateOcsf(event, schema), path).toContain(`${path}: required attribute missing`);
    }
  });

  it('reports wrong types, unknown enum ids, a wrong type_uid and unknown attributes', () => {
    const mutations: [(e: Record<string, any>) => void, RegExp][] = [
      [(e) => { e.severity_id = '4'; }, /^severity_id: .* is not a integer_t/],
      [(e) => { e.severity_id = 7; }, /^severity_id: 7 is not one of its enum ids/],
      [(e) => { e.time = '2024-06-01'; }, /^time: .* is not a timestamp_t/],
      [(e) => { e.type_uid = 200602; }, /^type_uid: 200602 is not class_uid \* 100 \+ activity_id/],
      [(e) => { e.class_uid = 2004; }, /^class_uid: 2004 is not one of its enum ids/],
      [(e) => { e.finding_info.types = 'x'; }, /^finding_info.types: should be an array/],
      [(e) => { e.data_security.data_lifecycle_state_id = 5; }, /data_lifecycle_state_id: 5 is not one of its enum ids/],
      [(e) => { e.metadata.product = 'Soveren'; }, /^metadata.product: should be a product object/],
      [(e) => { e.soveren_extra = 1; }, /^soveren_extra: not an attribute here/],
      [(e) => { e.dst_endpoint = { ip: '999.1.1.1' }; }, /^dst_endpoint.ip: .* does not match ip_t/],
      [(e) => { e.dst_endpoint = {}; }, /^dst_endpoint: needs at least one of/],
      [(e) => { e.cloud = { provider: 'AWS' }; }, /^cloud: belongs to profile cloud/],
    ];
    for (const [mutate, message] of mutations) {
      const event = clone();
      mutate(event);
      const errors = validateOcsf(event, schema);
      expect(errors.some((e) => message.test(e)), `${message} in ${JSON.stringify(errors)}`).toBe(true);
    }
  });
});
