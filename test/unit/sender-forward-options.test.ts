// serve's forwarding flags -> ForwardConfig, usage errors naming the flag, and a start-up
// line that never shows a token or a URL's password.
import { describe, expect, it } from 'vitest';
import { serveConfig } from '../../server/commands/serve.ts';
import { UsageError } from '../../server/config.ts';
import { describeForwarding } from '../../server/commands/forward-options.ts';

describe('serve --forward-*', () => {
  it('builds the forwarding config from flags and environment', () => {
    const config = serveConfig(['--forward-to', 'http://127.0.0.1:8080/a', '--forward-to', 'https://u:pw@example.com/b',
      '--forward-fail-after', '2m', '--forward-retries', '2'], { SOVEREN_INSPECTOR_FORWARD_TOKEN: 'env-fwd-token' });
    expect(config.forward).toEqual({
      targets: ['http://127.0.0.1:8080/a', 'https://u:pw@example.com/b'], token: 'env-fwd-token', keepSignature: false,
      failAfterMs: 120_000, concurrency: 2, retries: 2, batchMs: 50, siem: { hecToken: null, hecAck: false, elasticApiKey: null },
    });
    expect(serveConfig(['--forward-batch-ms', '0'], {}).forward).toMatchObject({ batchMs: 0 });
    const line = describeForwarding(config.forward)!;
    expect(line).toBe('forwarding: http://127.0.0.1:8080/a, https://example.com/b (signed with --forward-token)');
    expect(line).not.toContain('env-fwd-token');
    expect(describeForwarding(serveConfig([], {}).forward)).toBeNull();
    expect(serveConfig([], {}).forward).toMatchObject({ targets: [], failAfterMs: 900_000 });
  });

  it('takes SIEM targets with their format and secrets from flags or the shared environment, never printing them', () => {
    const config = serveConfig(['--forward-to', 'hec+https://splunk.example:8088', '--forward-to', 'syslog+udp://127.0.0.1:514',
      '--forward-format', 'ocsf', '--forward-hec-ack'], { SOVEREN_INSPECTOR_HEC_TOKEN: 'env-hec-token' });
    expect(config.forward).toMatchObject({ format: 'ocsf', siem: { hecToken: 'env-hec-token', hecAck: true, elasticApiKey: null } });
    const line = describeForwarding(config.forward)!;
    expect(line).toBe('forwarding: hec+https://splunk.example:8088, syslog+udp://127.0.0.1:514 (SIEM targets get ocsf)');
    expect(line).not.toContain('env-hec-token');
    const cases: [string[], RegExp][] = [
      [['--forward-to', 'hec+http://127.0.0.1:8088'], /^--forward-hec-token: a hec\+ target needs a Splunk HEC token/],
      [['--forward-to', 'elastic+http://127.0.0.1:9200/ix', '--forward-format', 'cef'], /^--forward-format: an Elasticsearch document is JSON/],
      [['--forward-to', 'syslog+tcp://h:1', '--forward-format', 'xml'], /^--forward-format must be one of soveren, ocsf, ecs, cef/],
    ];
    for (const [argv, message] of cases) expect(() => serveConfig(argv, {})).toThrow(message);
  });

  it('refuses bad combinations, naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--forward-to', 'ftp://x/'], /--forward-to ftp:\/\/x\/: unsupported scheme/],
      [['--forward-to', 'http://a/', '--forward-to', 'http://a/'], /--forward-to lists the same URL twice/],
      [['--forward-token', 't', '--forward-keep-signature'], /exclude each other/],
      [['--forward-fail-after', '10ms'], /--forward-fail-after must be/],
      [['--forward-batch-ms', '20000'], /--forward-batch-ms must be/],
    ];
    for (const [argv, message] of cases) {
      expect(() => serveConfig(argv, {}), argv.join(' ')).toThrow(UsageError);
      expect(() => serveConfig(argv, {})).toThrow(message);
    }
  });
});
