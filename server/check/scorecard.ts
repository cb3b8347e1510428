// The human scorecard of a check: one row per scenario (result, scenario, expected, got,
// latency), the reason under every failing or noted row, and a verdict line. Everything
// that came from the network goes through sanitizeForTerminal.
import type { CheckReport, CheckResult } from '../common/protocol.ts';
import { sanitizeForTerminal } from '../log.ts';
import { formatBytes } from './scenario.ts';

export interface ScorecardOptions {
  /** ANSI colours (only on a terminal, and never with NO_COLOR). */
  color?: boolean;
  /** Terminal width for wrapping reasons (default 100). */
  width?: number;
}

const LABEL = { pass: 'pass', fail: 'FAIL', info: 'info' } as const;
const COLOR = { pass: '\x1b[32m', fail: '\x1b[31;1m', info: '\x1b[36m' } as const;
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

export function formatLatency(r: CheckResult): string {
  if (r.got === 'not run') return '-';
  if (r.latency) return `p50 ${fmtMs(r.latency.p50Ms)}, p99 ${fmtMs(r.latency.p99Ms)}`;
  return fmtMs(r.durationMs);
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function fit(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

/** Break `text` into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function formatScorecard(report: CheckReport, options: ScorecardOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? code + text + RESET : text);
  const rows = report.scenarios.map((r) => ({
    r,
    name: sanitizeForTerminal(r.name, 80),
    expected: sanitizeForTerminal(r.expected, 30),
    got: sanitizeForTerminal(r.got, 40),
    latency: formatLatency(r),
  }));
  const nameW = Math.min(70, Math.max(8, ...rows.map((x) => x.name.length)));
  const expW = Math.max(8, ...rows.map((x) => x.expected.length));
  const gotW = Math.min(40, Math.max(3, ...rows.map((x) => x.got.length)));
  const s = report.settings;
  const out: string[] = [
    `soveren-inspector check ${sanitizeForTerminal(report.url, 300)}`,
    paint(DIM, `timeout ${fmtMs(s.timeoutMs)}, burst ${s.burst}, large ${formatBytes(s.largeSize)}, refusal = ${s.expectReject.join('/')}` +
      (s.only ? `, only "${sanitizeForTerminal(s.only, 60)}"` : '')),
    '',
    `RESULT  ${fit('SCENARIO', nameW)}  ${fit('EXPECTED', expW)}  ${fit('GOT', gotW)}  LATENCY`,
  ];
  const reasonWidth = Math.max(40, (options.width ?? 100) - 10);
  for (const x of rows) {
    const label = paint(COLOR[x.r.outcome], LABEL[x.r.outcome].padEnd(4));
    out.push(`${label}    ${fit(x.name, nameW)}  ${fit(x.expected, expW)}  ${fit(x.got, gotW)}  ${x.latency}`.trimEnd());
    if (x.r.reason && x.r.outcome !== 'pass') {
      const lines = wrap(sanitizeForTerminal(x.r.reason, 600), reasonWidth);
      lines.forEach((line, i) => out.push(`        ${i === 0 ? '-> ' : '   '}${line}`));
    } else if (x.r.reason) {
      out.push(paint(DIM, `        (${sanitizeForTerminal(x.r.reason, 300)})`));
    }
  }
  const c = report.counts;
  out.push('');
  out.push(`${c.total} scenarios: ${c.passed} passed, ${c.failed} failed, ${c.info} noted (info) in ${fmtMs(report.durationMs)}`);
  out.push(report.ok
    ? paint(COLOR.pass, 'PASSED: the connector handled every required scenario as Soveren expects.')
    : paint(COLOR.fail, `FAILED: ${c.failed} required scenario${c.failed === 1 ? '' : 's'} failed; the lines marked FAIL say what to fix.`));
  return out.join('\n') + '\n';
}

/** `--json`: the report as it is, pretty-printed. */
export function formatJsonReport(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
