// The coverage table as terminal text (the `coverage` command): one line per event type by
// category, one column pair per target, and the check run's verdict. Captured values
// (unknown event types, categories) are escaped for the terminal.
import type { Coverage, CoverageRow } from '../common/protocol.ts';
import { sanitizeForTerminal } from '../log.ts';

const dash = (n: number) => (n === 0 ? '-' : String(n));

/** "ok/failed" of replays plus forwards to one target, "-" for none. */
function targetCell(row: CoverageRow, i: number): string {
  const t = row.targets[i]!;
  const ok = t.replay.ok.count + t.forward.ok.count;
  const failed = t.replay.failed.count + t.forward.failed.count;
  return ok + failed === 0 ? '-' : `${ok}/${failed}`;
}

export function formatCoverage(c: Coverage): string {
  const rows = c.categories.flatMap((cat) => cat.rows);
  const known = rows.filter((r) => r.known).length;
  const unknown = rows.length - known;
  const head = ['event type', 'received', 'real', 'sent', ...c.targets.map((_, i) => `[${i + 1}] ok/failed`), 'check', 'siem'];
  const lines: string[][] = [];
  const groups: { label: string; from: number }[] = [];
  for (const cat of c.categories) {
    groups.push({ label: sanitizeForTerminal(cat.label, 60), from: lines.length });
    for (const r of cat.rows) {
      lines.push([
        `${sanitizeForTerminal(r.eventType, 60)}${r.known ? '' : ' (unknown)'}`,
        dash(r.received.count), dash(r.real.count), dash(r.sent.count),
        ...c.targets.map((_, i) => targetCell(r, i)),
        r.check ? r.check.outcome : '-',
        dash(r.siem.any.count),
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => '  ' + cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out: string[] = [];
  out.push(`${known} documented event types${unknown ? ` and ${unknown} unknown` : ''}; real: user agent ok and signature valid or unchecked, not from the built-in sender; sent: by the built-in sender`);
  out.push(render(head));
  groups.forEach((g, gi) => {
    out.push(g.label);
    for (const l of lines.slice(g.from, groups[gi + 1]?.from ?? lines.length)) out.push(render(l));
  });
  if (c.targets.length === 0) out.push('targets: none yet (replay or forward deliveries to fill the target columns)');
  c.targets.forEach((t, i) => out.push(`[${i + 1}] ${sanitizeForTerminal(t, 300)}: replay and forward attempts, ok/failed`));
  out.push(c.sinks.length ? `siem: deliveries whose outputs reached a SIEM sink (${c.sinks.join(', ')})` : 'siem: no output linked to a delivery yet (see the sinks)');
  out.push(c.lastCheck
    ? `check: run #${c.lastCheck.id} against ${sanitizeForTerminal(c.lastCheck.url, 300)}, ${c.lastCheck.state}${c.lastCheck.finishedAt ? ` at ${c.lastCheck.finishedAt}` : ''}`
    : 'check: no finished run in this database');
  return out.join('\n') + '\n';
}
