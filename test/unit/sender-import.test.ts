// NDJSON import lines (untrusted files), the bounded line reader and --id specs.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { parseExportLine } from '../../server/export/import-ndjson.ts';
import { readLines } from '../../server/export/line-reader.ts';
import { parseIdSpecs } from '../../server/commands/replay.ts';
import { UsageError } from '../../server/config.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('parseExportLine', () => {
  it('keeps verdicts, status and findings from the file, bytes from base64', () => {
    const body = Buffer.from([0xff, 0x00, 0x41]);
    const line = JSON.stringify({
      receivedAt: '2024-06-01T12:00:00.000Z', method: 'POST', path: '/h', query: 'a=1', headers: [['X-A', '1'], ['x-a', '2']],
      bodyBase64: body.toString('base64'), bodySha256: sha(body), status: 401, userAgent: 'missing',
      signatureDetail: { verdict: 'invalid', headers: ['sha256=00'], matchedToken: null, tokenCount: 2, reason: 'r', uppercaseHex: false },
      findings: [{ code: 'x', severity: 'error', message: 'm' }],
    });
    const r = parseExportLine(line);
    if (!r.ok) throw new Error(r.error);
    expect(r.record.body.equals(body)).toBe(true);
    expect(r.record).toMatchObject({ receivedAt: Date.parse('2024-06-01T12:00:00.000Z'), path: '/h', query: 'a=1', status: 401, bodyKind: 'binary', bodyText: null });
    expect(r.record.headers).toEqual([['X-A', '1'], ['x-a', '2']]);
    expect(r.record.signatureDetail.verdict).toBe('invalid');
    expect(r.record.findings).toEqual([{ code: 'x', severity: 'error', message: 'm' }]);
  });

  it('analyses a hand-made line with only a body as if it had been received', () => {
    const r = parseExportLine('{"bodyText":"{\\"category\\":\\"Policy violation\\",\\"event_type\\":\\"policy_violation\\"}"}');
    if (!r.ok) throw new Error(r.error);
    expect(r.record).toMatchObject({ method: 'POST', path: '/', categoryFacet: 'data_at_risk', eventType: 'policy_violation', bodyKind: 'json', status: 200 });
    expect(r.record.signatureDetail.verdict).toBe('unchecked');
  });

  it('refuses what it cannot trust, with a reason', () => {
    const bad: [string, RegExp][] = [
      ['[]', /not a JSON object/],
      ['{', /not JSON/],
      ['{"headers":[]}', /no body/],
      ['{"bodyBase64":"@@@="}', /not base64/],
      ['{"bodyText":"a","bodySha256":"00"}', /does not match/],
      ['{"bodyText":"a","headers":[["X","a\\r\\nInjected: 1"]]}', /line break/],
      ['{"bodyText":"a","method":"$(rm -rf ~)"}', /method/],
      ['{"bodyText":"a","path":"no-slash"}', /path/],
      ['{"bodyText":"a","receivedAt":"yesterday"}', /receivedAt/],
    ];
    for (const [line, reason] of bad) {
      const r = parseExportLine(line);
      expect(r.ok, line).toBe(false);
      if (!r.ok) expect(r.error).toMatch(reason);
    }
  });
});

describe('readLines', () => {
  it('splits across chunks, strips CR, and skips over-long lines without buffering them', async () => {
    const chunks = ['ab', 'c\r\nxxxxxxxx', 'xxxxxxxxxxxx\nlast', ''].map((s) => Buffer.from(s));
    const out: unknown[] = [];
    for await (const line of readLines(Readable.from(chunks), 10)) out.push('tooLong' in line ? ['long', line.number] : [line.text, line.number]);
    expect(out).toEqual([['abc', 1], ['long', 2], ['last', 3]]);
  });
});

describe('parseIdSpecs', () => {
  it('reads ids, lists and ranges, deduplicated in order', () => {
    expect(parseIdSpecs(['3', '1,2', '5-7', '2'])).toEqual([3, 1, 2, 5, 6, 7]);
    expect(() => parseIdSpecs(['7-5'])).toThrow(UsageError);
    expect(() => parseIdSpecs(['abc'])).toThrow(/--id takes/);
    expect(() => parseIdSpecs(['1-1000000'])).toThrow(/at most/);
  });
});
