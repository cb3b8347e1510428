// JUnit XML for CI: one <testcase> per scenario, a <failure> with the reason for each
// failing one and the request and answer that decided it (what a CI log needs to show),
// latency as properties, noted (info) scenarios as passing with system-out.
// Text goes through escapeXml, which also drops characters XML 1.0 cannot carry.
import type { CheckExchange, CheckReport, CheckResult } from '../common/protocol.ts';

/** XML 1.0 allows tab, LF, CR and U+0020 and above, minus lone surrogates and U+FFFE/U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escape for attribute values and text alike; characters XML cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
    // Attribute values normalise raw newlines and tabs to spaces; keep them as written.
    .replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function property(name: string, value: string | number): string {
  return `<property name="${escapeXml(name)}" value="${escapeXml(String(value))}"/>`;
}

/** The exchange as text, in HTTP's own shape: request, answer (or why none), and the curl that sends it again. */
export function describeExchange(e: CheckExchange): string {
  const headers = (list: [string, string][]) => list.map(([k, v]) => `${k}: ${v}`).join('\n');
  const truncated = e.request.bodyTruncated ? `\n(first ${e.request.body.length} characters of ${e.request.bodyBytes} bytes)` : '';
  const answer = e.response
    ? `answer: ${e.response.status}\n${headers(e.response.headers)}\n\n${e.response.body}`
    : `no answer: ${e.error ?? 'unknown error'}`;
  return [
    `request: ${e.request.method} ${e.request.url}\n${headers(e.request.headers)}\n\n${e.request.body}${truncated}`,
    answer,
    ...(e.curl ? [`send it again:\n${e.curl}`] : []),
  ].join('\n\n');
}

function testcase(r: CheckResult): string {
  const props = [
    property('expected', r.expected),
    property('got', r.got),
    property('required', String(r.required)),
    property('latency_ms', r.durationMs),
    ...(r.latency ? [property('latency_p50_ms', r.latency.p50Ms), property('latency_p99_ms', r.latency.p99Ms),
      property('latency_max_ms', r.latency.maxMs), property('requests', r.latency.count)] : []),
  ];
  const inner = [`      <properties>${props.join('')}</properties>`];
  if (r.outcome === 'fail') {
    const message = r.reason ?? `expected ${r.expected}, got ${r.got}`;
    const detail = `expected ${r.expected}, got ${r.got}: ${message}${r.exchange ? `\n\n${describeExchange(r.exchange)}` : ''}`;
    inner.push(`      <failure message="${escapeXml(message)}" type="${escapeXml(r.group)}">${escapeXml(detail)}</failure>`);
  } else if (r.outcome === 'info' && r.reason) {
    inner.push(`      <system-out>${escapeXml(`noted (not required): ${r.reason}`)}</system-out>`);
  }
  return `    <testcase classname="soveren.check.${escapeXml(r.group)}" name="${escapeXml(r.name)}" time="${seconds(r.durationMs)}">\n${inner.join('\n')}\n    </testcase>`;
}

export function formatJunit(report: CheckReport): string {
  const c = report.counts;
  const attrs = `tests="${c.total}" failures="${c.failed}" errors="0" skipped="0" time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="soveren-inspector check" ${attrs}>`,
    `  <testsuite name="${escapeXml(`connector conformance: ${report.url}`)}" ${attrs} timestamp="${escapeXml(report.startedAt)}">`,
    `    <properties>${property('url', report.url)}${property('timeout_ms', report.settings.timeoutMs)}${property('burst', report.settings.burst)}` +
      `${property('large_size', report.settings.largeSize)}${property('expect_reject', report.settings.expectReject.join(','))}</properties>`,
    ...report.scenarios.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
