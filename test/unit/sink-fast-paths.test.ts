// The sink's fast paths give the same answers as the plain ways they replace: event ids found
// around `/events/` against one URL match over the whole text (the earlier implementation,
// kept here as the oracle), the one-shot SHA-256 keys against createHash, the _bulk parser on
// bytes against line-by-line JSON, and a parse time that grows linearly with the body.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventIdCandidates, eventIdOf, linkKeyOf, titleKeysOf } from '../../server/soveren/event-keys.ts';
import { sha256Hex } from '../../server/soveren/sha256.ts';
import { parseBulk } from '../../server/sink/elastic-bulk.ts';
import { newDocumentId } from '../../server/sink/elastic-answers.ts';

/** The whole-text scan eventIdCandidates used before (the oracle). */
function candidatesByWholeText(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/https?:\/\/[^\s"'<>|\\,\]}]+/g)) {
    if (!m[0].includes('/events/')) continue;
    const id = eventIdOf(m[0]);
    if (id !== null) found.add(id.toLowerCase());
    if (found.size >= 32) return [...found];
  }
  if (found.size > 0) return [...found];
  for (const m of text.matchAll(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi)) {
    found.add(m[0].toLowerCase());
    if (found.size >= 32) break;
  }
  return [...found];
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('sink fast paths', () => {
  it('finds the same event ids as a URL match over the whole text', () => {
    const cases = [
      '{"event":{"url":"https://app.soveren.io/events/0f3a1c2e-4b5d-4e6f-8a9b-000000000001"}}',
      'x https://a/b/events/ABC?x=1#y and http://h/events/def/ more /events/ghi (no scheme)',
      'one link, two /events/: https://h/events/a/events/b, then https://h/other and "https://h/events/c"',
      'xhttps://h/x/http://h/events/zz text\u00a0https://h/events/nb\u00a0',
      'bare 0F3A1C2E-4B5D-4E6F-8A9B-000000000002 and 0f3a1c2e-4b5d-4e6f-8a9b-000000000003',
      '/events/ alone, https:// alone, https://h/events/',
      Array.from({ length: 40 }, (_, i) => `https://h/events/id-${i}`).join(' '),
    ];
    const next = random(7);
    const pieces = ['https://', 'http://', 'http', 'https:/', ':', '/events/', 'h/', 'ab', '-', ' ', '"', ',', ']', '}', '|', '\\', '\n', '0f3a1c2e-4b5d-4e6f-8a9b-00000000000', '7', 'É', '?q', '#f'];
    for (let i = 0; i < 10_000; i++) cases.push(Array.from({ length: 1 + Math.floor(next() * 20) }, () => pieces[Math.floor(next() * pieces.length)]!).join(''));
    for (const text of cases) expect(eventIdCandidates(text), text).toEqual(candidatesByWholeText(text));
  });

  it('computes the correlation keys exactly as createHash does (the keys deliveries were stored with)', () => {
    const sha = (t: string) => createHash('sha256').update(t).digest();
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('abc'))).toBe(createHash('sha256').update('abc').digest('hex'));
    for (const id of ['0f3a1c2e-4b5d-4e6f-8a9b-000000000001', 'ABC', 'é']) {
      const d = sha(`id\u0000${id.toLowerCase()}`);
      expect(linkKeyOf(id)).toBe(d.readUIntBE(0, 6) * 16 + (d[6]! >> 4));
    }
    const title = '  Sensitive data sent to a third party ';
    const low = sha(title.trim()).readUIntBE(0, 3) >> 4;
    expect(titleKeysOf(title, 1_700_000_000_500, [0, -1000, 1000])).toEqual([1_700_000_000, 1_699_999_999, 1_700_000_001].map((s) => s * 2 ** 20 + low));
  });

  it('parses _bulk bytes as line-by-line JSON does, repeated action lines included', () => {
    const lines = [
      '{"create":{"_index":"a"}}', '{"n":1,"t":"é"}',
      '{"create":{"_index":"a"}}', '{"n":2}',
      '{"create":{"_index":"a"}}\r', '{"n":3}\r',
      '', '   ',
      '{"index":{"_index":"a","_id":"x"}}', '{"n":4}',
      '{"index":{"_index":"a","_id":"x"}}', 'not json',
      '{"delete":{"_index":"a","_id":"x"}}',
      '{"create":{"_index":"a"}}', '[1]',
    ];
    const parsed = parseBulk(Buffer.from(lines.join('\n') + '\n'), null);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.ops.map((o) => [o.action, o.index, o.id, o.source, o.sourceBytes?.toString() ?? null, o.doc, o.parseError === null])).toEqual([
      ['create', 'a', null, '{"n":1,"t":"é"}', '{"n":1,"t":"é"}', { n: 1, t: 'é' }, true],
      ['create', 'a', null, '{"n":2}', '{"n":2}', { n: 2 }, true],
      ['create', 'a', null, '{"n":3}', '{"n":3}', { n: 3 }, true],
      ['index', 'a', 'x', '{"n":4}', '{"n":4}', { n: 4 }, true],
      ['index', 'a', 'x', 'not json', 'not json', null, false],
      ['delete', 'a', 'x', null, null, null, true],
      ['create', 'a', null, '[1]', '[1]', [1], false],
    ]);
    // A repeated action line still needs its source line.
    expect(parseBulk(Buffer.from('{"create":{"_index":"a"}}\n{}\n{"create":{"_index":"a"}}\n'), null)).toMatchObject({ ok: false, reason: expect.stringContaining('terminated by a newline') });
    expect(parseBulk(Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), 'a')).toMatchObject({ ok: false, reason: 'the bulk body is not valid UTF-8' });
    expect(parseBulk(Buffer.from('\n \r\n'), 'a')).toMatchObject({ ok: false, type: 'action_request_validation_exception' });
  });

  it('parses a _bulk body in time linear in its size (8x the documents, not 64x the time)', () => {
    const body = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `{"create":{"_index":"a"}}\n{"title":"t${i}","url":"https://h/events/${i}"}\n`).join(''));
    const small = body(2_000);
    const large = body(16_000);
    // CPU time, best of several: what else runs on the machine does not count.
    const cost = (b: Buffer) => Math.min(...Array.from({ length: 5 }, () => {
      const t = process.cpuUsage();
      const r = parseBulk(b, null);
      if (!r.ok) throw new Error(r.reason);
      const d = process.cpuUsage(t);
      return d.user + d.system;
    }));
    cost(small);
    const ratio = cost(large) / Math.max(1, cost(small));
    expect(ratio).toBeLessThan(24); // linear: ~8; quadratic: ~64
  });

  it('finds event ids in time linear in the text, whatever its shape', () => {
    const cpu = (f: () => unknown) => Math.min(...Array.from({ length: 3 }, () => {
      const t = process.cpuUsage();
      f();
      const d = process.cpuUsage(t);
      return d.user + d.system;
    }));
    // Many /events/ in one run without a scheme, and many short runs without one.
    for (const unit of ['a/events/', '/events/x ', 'http/events/']) {
      const small = unit.repeat(5_000);
      const large = unit.repeat(40_000);
      cpu(() => eventIdCandidates(small));
      expect(cpu(() => eventIdCandidates(large)) / Math.max(1, cpu(() => eventIdCandidates(small))), unit).toBeLessThan(24);
    }
  });

  it('generates Elasticsearch-like ids: 20 URL-safe characters, each new', () => {
    const ids = Array.from({ length: 1000 }, newDocumentId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(new Set(ids).size).toBe(1000);
  });
});
