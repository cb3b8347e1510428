// CEF: lines parsed back by independent parsers give every value back. nsyslog-parser reads
// every line whose values hold no "=" (it splits the extension at every "=", escaped or not);
// liblognorm's lognormalizer (Debian liblognorm-utils) reads every line, "=" included.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import parseSyslog from 'nsyslog-parser';
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvent, type SoverenEvent } from '../../server/soveren/events.ts';
import { mapDelivery } from '../../server/siem/index.ts';
import { RECEIVED_AT, sourceOf } from '../helpers/siem.ts';

const now = new Date('2024-06-01T12:00:00.000Z');

function cef(event: unknown): { line: string; unmapped: { source: string; value: unknown }[] } {
  const r = mapDelivery('cef', sourceOf(event));
  if (!r.ok) throw new Error(r.reason);
  return { line: r.mapping.output as string, unmapped: r.mapping.unmapped };
}

// Undo CEF escaping of what a parser hands back still escaped (nsyslog-parser does not unescape).
const unescapeHeader = (s: string) => s.replace(/\\([\\|])/g, '$1');
const unescapeValue = (s: string) => s.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));

interface Parsed { header: string[]; ext: Record<string, string> }

function parseWithNsyslog(line: string): Parsed {
  const p = parseSyslog(line);
  expect(p.type).toBe('CEF');
  const h = p.cef!;
  const header = [h.version, h.deviceVendor, h.deviceProduct, h.deviceVersion, h.deviceEventClassID, h.name, h.severity].map(unescapeHeader);
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.fields ?? {})) ext[k] = unescapeValue(v);
  return { header, ext };
}

/** All lines through one lognormalizer run (rulebase: one CEF field). */
function parseWithLognorm(lines: string[]): Parsed[] {
  // liblognorm 2.0.6 drops the first character of the first extension key unless a space
  // follows the header's last "|"; CEF parsers ignore that space, so the test adds it.
  const spaced = lines.map((l) => l.replace(/^((?:[^|\\]|\\.)*\|){7}/, '$& '));
  const dir = mkdtempSync(join(tmpdir(), 'soveren-cef-'));
  writeFileSync(join(dir, 'cef.rb'), 'version=2\nrule=:%cef:cef%\n');
  const run = spawnSync('lognormalizer', ['-r', join(dir, 'cef.rb'), '-e', 'json'], { input: spaced.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  rmSync(dir, { recursive: true, force: true });
  expect(run.error, 'lognormalizer (Debian package liblognorm-utils) must be installed').toBeUndefined();
  const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(out).toHaveLength(lines.length);
  return out.map((o) => {
    expect(o.cef, JSON.stringify(o).slice(0, 300)).toBeDefined();
    const c = o.cef;
    return { header: ['CEF:0', c.DeviceVendor, c.DeviceProduct, c.DeviceVersion, c.SignatureID, c.Name, c.Severity], ext: c.Extensions };
  });
}

/** What the line must say for this event, written from the rules, not from the code. */
function expected(event: SoverenEvent & Record<string, unknown>): { header: string[]; ext: Record<string, string> } {
  const title = event.title ?? '';
  const ext: Record<string, string> = {
    rt: String(Date.parse(event.time ?? RECEIVED_AT)), msg: title, request: event.event_link ?? '', cat: event.category ?? '',
    externalId: event.event_link?.split('/events/')[1] ?? '',
  };
  if (event.endpoint) Object.assign(ext, { dhost: event.endpoint.hostname, requestMethod: event.endpoint.method, cs5Label: 'Endpoint URL', cs5: event.endpoint.url });
  if (event.third_party_ip) ext.dst = event.third_party_ip;
  if (event.user_agent) ext.requestClientApplication = event.user_agent;
  if (event.data_types) Object.assign(ext, { cs1Label: 'Data types', cs1: event.data_types.join(', ') });
  if (event.policy) Object.assign(ext, { cs2Label: 'Policy name', cs2: event.policy.name });
  if (event.sending) Object.assign(ext, { cs3Label: 'Sending asset', cs3: event.sending.name });
  if (event.receiving) Object.assign(ext, { cs4Label: 'Receiving asset', cs4: event.receiving.name });
  const resource = event.s3_bucket ?? event.entity_name ?? event.database_name;
  if (resource) Object.assign(ext, { cs6Label: 'Resource', cs6: resource });
  const severity = String({ High: 8, Medium: 5, Low: 3 }[event.sensitivity ?? 'x' as 'High'] ?? 0);
  return { header: ['CEF:0', 'Soveren', 'Soveren', '1.0', event.event_type ?? 'unknown', title.replace(/\r\n|\r|\n/g, ' '), severity], ext };
}

function expectRoundTrip(parsed: Parsed, event: SoverenEvent & Record<string, unknown>, unmapped: { source: string; value: unknown }[]): void {
  const want = expected(event);
  expect(parsed.header).toEqual(want.header);
  expect(parsed.ext).toMatchObject(want.ext);
  if (unmapped.length > 0) {
    expect(parsed.ext.flexString1Label).toBe('unmapped');
    expect(JSON.parse(parsed.ext.flexString1!)).toEqual(Object.fromEntries(unmapped.map((u) => [u.source, u.value])));
  } else expect(parsed.ext.flexString1).toBeUndefined();
}

const events = EVENT_TYPES.flatMap((type) => [1, 2, 3].map((seed) => createEvent(type, { seed, now })));
const base = createEvent('3rd_party_policy_violation', { seed: 1, now });
const big = 'x'.repeat(5000) + 'ü'.repeat(2500) + '🔒'.repeat(500); // about 12 KB of UTF-8
const tricky = ['a|b', 'back\\slash\\', 'two\nlines\r\nand\rreturns', 'Données 🔒 在 עברית', big, ' padded  twice ', '\\n literal', 'trailing\\'];
const trickyEvents = tricky.map((s) => ({
  ...base, title: s, category: s, policy: { name: s, link: base.policy!.link }, sending: { ...base.sending!, name: s },
  data_types: [s, 'Email'], custom_field: s,
}));
const withEquals = ['a=b', 'k=v x=y', '==', 'end=', 'q\\=already', `${big}=${big}`].map((s) => ({
  ...base, title: s, policy: { name: s, link: `${base.policy!.link}?a=1` }, receiving: { ...base.receiving!, name: s }, note: s,
}));

describe('CEF lines parsed back', () => {
  it('all 29 types: nsyslog-parser reads every header and extension value back', () => {
    for (const event of events) {
      const { line, unmapped } = cef(event);
      expect(line).not.toMatch(/[\r\n]/);
      expectRoundTrip(parseWithNsyslog(line), event, unmapped);
    }
  });

  it('pipes, backslashes, line breaks, non-ASCII and 10 KB strings: nsyslog-parser reads them back', () => {
    for (const event of trickyEvents) {
      const { line, unmapped } = cef(event);
      expect(line).not.toMatch(/[\r\n]/);
      expectRoundTrip(parseWithNsyslog(line), event, unmapped);
    }
  });

  it('every line, "=" included: lognormalizer reads every value back', () => {
    const all = [...events, ...trickyEvents, ...withEquals] as (SoverenEvent & Record<string, unknown>)[];
    const mapped = all.map(cef);
    const parsed = parseWithLognorm(mapped.map((m) => m.line));
    parsed.forEach((p, i) => expectRoundTrip(p, all[i]!, mapped[i]!.unmapped));
  });

  it('the header escapes pipes and backslashes and has no raw line breaks', () => {
    const { line } = cef({ ...base, title: 'a|b\\c\nd', event_type: 'x|y' });
    expect(line.startsWith('CEF:0|Soveren|Soveren|1.0|x\\|y|a\\|b\\\\c d|8|')).toBe(true);
    expect(line).toContain('msg=a|b\\\\c\\nd ');
  });

  it('an empty event still makes a parseable line with the received time and the body hash', () => {
    const source = sourceOf({});
    const r = mapDelivery('cef', source);
    expect(r.ok && r.mapping.output).toBe(`CEF:0|Soveren|Soveren|1.0|unknown|Soveren event|0|rt=${Date.parse(RECEIVED_AT)} externalId=${source.bodySha256}`);
    expect(parseWithNsyslog(r.ok ? (r.mapping.output as string) : '').ext.rt).toBe(String(Date.parse(RECEIVED_AT)));
  });

  it('severity: High 8, Medium 5, Low 3, anything else 0', () => {
    for (const [sensitivity, severity] of [['High', '8'], ['Medium', '5'], ['Low', '3'], ['Critical', '0'], [undefined, '0']] as const) {
      expect(parseWithNsyslog(cef({ ...base, sensitivity }).line).header[6]).toBe(severity);
    }
  });
});
