// `export --format ocsf|ecs|hec|cef` as a user runs it against a running inspector's database:
// NDJSON of mappings (OCSF validated against the schema extract), one CEF line per delivery
// (read back by a CEF parser), --query honoured, HEC options, deliveries without a JSON object
// counted on stderr, and usage errors naming the flag.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parseSyslog from 'nsyslog-parser';
import { CATEGORIES, EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvents, serializeEvent } from '../../server/soveren/events.ts';
import { startTestInspector, type TestInspector } from '../helpers/inspector.ts';
import { loadOcsfSchema, validateOcsf } from '../helpers/ocsf-validator.ts';
import { runCli } from '../helpers/cli.ts';

let t: TestInspector;
const events = createEvents({ all: true, seed: 31 });
const bodies = events.map(serializeEvent);
const out = mkdtempSync(join(tmpdir(), 'soveren-siem-export-'));
const jsonLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);

beforeAll(async () => {
  t = await startTestInspector();
  const post = async (body: string) => (await fetch(t.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).arrayBuffer();
  for (const body of bodies) await post(body);
  await post('not json at all');
  await post('["an", "array"]');
});
afterAll(() => t.close());

describe('export in SIEM formats', () => {
  it('ocsf: one valid Data Security Finding per JSON event, in arrival order; the rest counted', async () => {
    const file = join(out, 'ocsf.ndjson');
    const r = await runCli(['export', '--db', t.dbPath, '--format', 'ocsf', '--out', file]);
    expect(r.code).toBe(0);
    const findings = jsonLines(readFileSync(file, 'utf8'));
    expect(findings.map((f) => f.finding_info.types[1])).toEqual(EVENT_TYPES);
    const schema = loadOcsfSchema();
    for (const f of findings) expect(validateOcsf(f, schema)).toEqual([]);
    expect(r.stderr).toContain('exported 29 deliveries as ocsf');
    expect(r.stderr).toMatch(/skipped 2 whose body is not a JSON event object \(#30: the body is not valid JSON.*; #31: the body is JSON but an array/);
  });

  it('ecs: each line carries the exact body in event.original', async () => {
    const r = await runCli(['export', '--db', t.dbPath, '--format', 'ecs']);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((d) => d.event.original)).toEqual(bodies);
  });

  it('hec: envelopes with the chosen payload, index and host', async () => {
    const r = await runCli(['export', '--db', t.dbPath, '--format', 'hec', '--hec-payload', 'ecs', '--hec-index', 'soveren', '--hec-host', 'laptop']);
    expect(r.code).toBe(0);
    const envelopes = jsonLines(r.stdout);
    expect(envelopes).toHaveLength(29);
    for (const e of envelopes) expect(e).toMatchObject({ sourcetype: 'soveren:ecs', index: 'soveren', host: 'laptop', source: 'soveren', event: { ecs: { version: '9.4.0' } } });
  });

  it('cef with --query: one parseable line per matching delivery', async () => {
    const r = await runCli(['export', '--db', t.dbPath, '--format', 'cef', '--query', 'category:misconfiguration']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    const misconfiguration = CATEGORIES.find((c) => c.facet === 'misconfiguration')!.eventTypes;
    expect(lines.map((l) => parseSyslog(l).cef?.deviceEventClassID)).toEqual([...misconfiguration]);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stderr).toContain('exported 4 deliveries as cef');
  });

  it('usage errors name the flag and exit 2', async () => {
    const bad = await runCli(['export', '--db', t.dbPath, '--format', 'leef']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of .*ocsf, ecs, cef, hec/);
    const empty = await runCli(['export', '--db', t.dbPath, '--format', 'hec', '--hec-index', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--hec-index must not be empty');
    const help = await runCli(['export', '--help']);
    expect(help.stdout + help.stderr).toContain('--hec-payload');
  });
});
