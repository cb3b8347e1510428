// The replay and forwarding forms' view of SIEM targets: the scheme picks the transport, the
// formats offered match what the server accepts (defaults first), a HEC target needs a token,
// and secrets go only into the request fields of their own transport.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FORMATS, describeFormatProblem } from '../../server/sender/transports/target.ts';
import { describeBadSiem, EMPTY_SIEM_INPUT, FORMATS_BY_KIND, siemFields, targetKind } from '../../ui/state/siem-target.ts';
import { addRecentTarget, describeBadDeliveryTarget, describeBadTarget, webhookTargets } from '../../ui/state/targets.ts';

describe('SIEM targets in the UI', () => {
  it('tells the transport from the scheme', () => {
    expect(['http://a/', 'HTTPS://a/', 'hec+https://s:8088', 'elastic+http://e:9200/ix', 'syslog+udp://h:514', 'syslog+tls://h:6514', 'ftp://x', 'nope']
      .map(targetKind)).toEqual(['http', 'http', 'hec', 'elastic', 'syslog', 'syslog', null, null]);
  });

  it('offers exactly the formats the server accepts per transport, its default first', () => {
    for (const kind of ['hec', 'elastic', 'syslog'] as const) {
      expect(FORMATS_BY_KIND[kind][0]).toBe(DEFAULT_FORMATS[kind]);
      for (const f of ['soveren', 'ocsf', 'ecs', 'cef'] as const) {
        expect(FORMATS_BY_KIND[kind].includes(f), `${kind} ${f}`).toBe(describeFormatProblem(kind, f) === null);
      }
    }
  });

  it('needs a HEC token unless the forwarder holds one', () => {
    expect(describeBadSiem('hec', EMPTY_SIEM_INPUT)).toMatch(/Splunk HEC token/);
    expect(describeBadSiem('hec', EMPTY_SIEM_INPUT, true)).toBeNull();
    expect(describeBadSiem('hec', { ...EMPTY_SIEM_INPUT, format: 'cef' }, true)).toMatch(/does not carry CEF/);
    expect(describeBadSiem('elastic', EMPTY_SIEM_INPUT)).toBeNull();
  });

  it('sends each secret only to its own transport', () => {
    const input = { format: '' as const, hecToken: 'h', hecAck: true, elasticApiKey: 'k' };
    expect(siemFields('hec', input)).toEqual({ hecToken: 'h', hecAck: true });
    expect(siemFields('elastic', { ...input, format: 'soveren' })).toEqual({ format: 'soveren', elasticApiKey: 'k' });
    expect(siemFields('syslog', input)).toEqual({});
    expect(siemFields('http', input)).toEqual({});
  });

  it('accepts SIEM URLs for replay and forwarding only, and remembers them without credentials', () => {
    expect(describeBadDeliveryTarget('syslog+tcp://127.0.0.1:514')).toBeNull();
    expect(describeBadDeliveryTarget('gopher://x')).toMatch(/Supported targets/);
    expect(describeBadTarget('syslog+tcp://127.0.0.1:514')).not.toBeNull();
    expect(addRecentTarget([], 'elastic+http://127.0.0.1:9200/ix')).toEqual(['elastic+http://127.0.0.1:9200/ix']);
    expect(addRecentTarget([], 'elastic+http://u:p@127.0.0.1:9200/ix')).toEqual([]);
    // The send and check forms talk Soveren's webhook only: they are offered http(s) targets.
    expect(webhookTargets(['syslog+udp://h:514', 'http://a/', 'hec+http://s:8088', 'https://b/'])).toEqual(['http://a/', 'https://b/']);
  });
});
