// Reporters of a check: JUnit XML (well-formed whatever the strings hold, one testcase per
// scenario, failures with messages, latency properties), scorecard text and JSON.
import { describe, expect, it } from 'vitest';
import type { CheckReport, CheckResult } from '../../server/common/protocol.ts';
import { escapeXml, formatJunit } from '../../server/check/junit.ts';
import { formatJsonReport, formatScorecard } from '../../server/check/scorecard.ts';
import { findAll, parseXml } from '../helpers/check-xml.ts';

const NASTY = `a <b> & "c" 'd' ]]> \x00\x07\x1b[31m \ud800 end\n\ttab`;

function result(over: Partial<CheckResult>): CheckResult {
  return {
    id: 'x', name: 'x', group: 'signature', required: true, expected: '401 or 403', got: '401',
    outcome: 'pass', reason: null, durationMs: 3.5, latency: null, ...over,
  };
}

const report: CheckReport = {
  format: 'soveren-inspector.check/1',
  url: 'http://127.0.0.1:9/hook?x=<1>&y=2',
  ok: false,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  settings: { timeoutMs: 1000, burst: 20, expectReject: [401, 403], largeSize: 524288, only: null },
  counts: { total: 4, passed: 1, failed: 2, info: 1 },
  scenarios: [
    result({ id: 'signature-missing', name: 'missing signature header is refused' }),
    result({ id: 'signature-other-token', name: 'signature made with another token is refused', outcome: 'fail', got: '200',
      reason: 'accepted a delivery whose signature was made with another token: the connector does not verify signatures',
      exchange: {
        request: { method: 'POST', url: 'http://127.0.0.1:9/hook', headers: [['x-soveren-signature', 'sha256=ab12'], ['content-type', 'application/json']],
          body: '{"title":"<x>"}', bodyBytes: 9000, bodyTruncated: true },
        response: { status: 200, headers: [['content-type', 'text/plain']], body: 'ok & stored' }, error: null, curl: "curl -X POST 'http://127.0.0.1:9/hook'",
      } }),
    result({ id: 'json-malformed', name: `json ${NASTY}`, group: 'json', outcome: 'fail', got: `500 ${NASTY}`, reason: `answered 500 (its answer: "${NASTY}")` }),
    result({ id: 'burst-concurrent', name: 'burst of 20 concurrent valid events', group: 'burst', required: false, outcome: 'info', got: '20/20 2xx',
      reason: `noted ${NASTY}`, latency: { count: 20, p50Ms: 4, p99Ms: 9.5, maxMs: 9.5 } }),
  ],
};

describe('JUnit report', () => {
  const xml = formatJunit(report);
  const root = parseXml(xml);

  it('is well-formed XML even with markup, quotes, control characters and lone surrogates in the data', () => {
    expect(root.name).toBe('testsuites');
    expect(xml).not.toMatch(/[\x00-\x08\x1b]/);
  });

  it('has one testcase per scenario, counts on the suite, and a failure with the reason for each failing one', () => {
    const suite = findAll(root, 'testsuite')[0]!;
    expect(suite.attrs).toMatchObject({ tests: '4', failures: '2', errors: '0', skipped: '0' });
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(report.scenarios.map((s) => s.name.replace(/[\x00-\x08\x1b]|\ud800/g, '\ufffd')));
    expect(cases.map((c) => findAll(c, 'failure').length)).toEqual([0, 1, 1, 0]);
    const failure = findAll(cases[1]!, 'failure')[0]!;
    expect(failure.attrs.message).toBe(report.scenarios[1]!.reason);
    expect(failure.attrs.type).toBe('signature');
    // The request and the answer that decided it, as text a CI log shows.
    expect(failure.text).toContain('request: POST http://127.0.0.1:9/hook\nx-soveren-signature: sha256=ab12\ncontent-type: application/json\n\n{"title":"<x>"}');
    expect(failure.text).toContain('of 9000 bytes');
    expect(failure.text).toContain('answer: 200\ncontent-type: text/plain\n\nok & stored');
    expect(failure.text).toContain("send it again:\ncurl -X POST 'http://127.0.0.1:9/hook'");
    expect(findAll(cases[2]!, 'failure')[0]!.text).not.toContain('request:');
    expect(cases[2]!.attrs.classname).toBe('soveren.check.json');
    expect(findAll(cases[3]!, 'system-out')[0]!.text).toContain('noted (not required)');
  });

  it('carries latency as properties, with percentiles for the burst', () => {
    const props = (i: number) => Object.fromEntries(findAll(findAll(root, 'testcase')[i]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props(0)).toMatchObject({ latency_ms: '3.5', expected: '401 or 403', got: '401', required: 'true' });
    expect(props(3)).toMatchObject({ latency_p50_ms: '4', latency_p99_ms: '9.5', requests: '20' });
    expect(findAll(root, 'testcase')[0]!.attrs.time).toBe('0.004');
  });

  it('round-trips text through escapeXml', () => {
    const text = 'a<b>&"\'\n\tz';
    expect(parseXml(`<r a="${escapeXml(text)}">${escapeXml(text)}</r>`)).toMatchObject({ attrs: { a: text }, text });
  });

  it('the checker itself rejects what is not well-formed', () => {
    for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a>x & y</a>', '<a/><b/>', '<a>\u0001</a>', '<a x=1/>', '<a>', 'text']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});

describe('scorecard', () => {
  const text = formatScorecard(report, { color: false, width: 100 });

  it('lists every scenario with result, expected, got and latency, and the reason under failing lines', () => {
    const lines = text.split('\n');
    const fail = lines.findIndex((l) => l.startsWith('FAIL') && l.includes('signature made with another token'));
    expect(lines[fail]).toMatch(/401 or 403\s+200\s+4 ms$/);
    expect(lines[fail + 1]).toContain('-> accepted a delivery whose signature was made with another token');
    expect(text).toMatch(/^pass\s+missing signature header is refused/m);
    expect(text).toMatch(/^info\s+burst of 20.*p50 4 ms, p99 10 ms$/m);
    expect(text).toContain('4 scenarios: 1 passed, 2 failed, 1 noted (info)');
    expect(text).toContain('FAILED: 2 required scenarios failed');
  });

  it('never writes control characters that came from the network, and colours only when asked', () => {
    expect(text).not.toMatch(/[\x00-\x08\x1b]/);
    expect(text).toContain('\\x1b[31m');
    expect(formatScorecard(report, { color: true })).toContain('\x1b[31;1mFAIL');
  });
});

describe('JSON report', () => {
  it('parses back to the report', () => {
    expect(JSON.parse(formatJsonReport(report))).toEqual(report);
  });
});
