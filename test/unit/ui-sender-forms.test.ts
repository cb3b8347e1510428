// The sender forms' pure parts: target checks and the recent-target memory, signing
// fields, the JSON check of "replay with changes", and the Send and check forms turned
// into request bodies the API's contract (its schemas) accepts.
import { describe, expect, it } from 'vitest';
import { readCheckRequest } from '../../server/api/check-routes.ts';
import { CheckRequest, ReplayRequest, SendRequest } from '../../server/common/contract/requests.ts';
import { signingFrom } from '../../server/sender/replay.ts';
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { initialCheckForm, toCheckRequest } from '../../ui/state/check-form.ts';
import { formatMs } from '../../ui/state/format.ts';
import { checkJson, positionOf, prettyJson } from '../../ui/state/json-edit.ts';
import { ALL_EVENT_TYPES, describeSendProblem, initialSendForm, newJobId, requestCount, selectedTypes, toggleTypes, toSendRequest } from '../../ui/state/send-form.ts';
import { describeBadSigning, signingFields } from '../../ui/state/signing.ts';
import { addRecentTarget, describeBadTarget, loadRecentTargets, parseRecentTargets, rememberTarget, RECENT_TARGETS_KEY } from '../../ui/state/targets.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('targets', () => {
  it('accepts http(s) URLs only', () => {
    expect(describeBadTarget('http://127.0.0.1:8080/hook')).toBeNull();
    expect(describeBadTarget(' https://siem.example/soveren ')).toBeNull();
    for (const bad of ['', 'localhost:8080', 'javascript:alert(1)', 'ftp://x/', 'file:///etc/passwd']) expect(describeBadTarget(bad), bad).not.toBeNull();
  });

  it('keeps the last five, newest first, without duplicates or credentials', () => {
    let list: string[] = [];
    for (let i = 1; i <= 7; i++) list = addRecentTarget(list, `http://h${i}/`);
    expect(list).toEqual(['http://h7/', 'http://h6/', 'http://h5/', 'http://h4/', 'http://h3/']);
    expect(addRecentTarget(list, 'http://h4/')[0]).toBe('http://h4/');
    expect(addRecentTarget(list, 'http://h4/')).toHaveLength(5);
    expect(addRecentTarget(list, 'https://user:secret@siem.example/')).toEqual(list);
    expect(addRecentTarget(list, 'not a url')).toEqual(list);
  });

  it('survives garbage in storage and stores what it remembers', () => {
    expect(parseRecentTargets('{')).toEqual([]);
    expect(parseRecentTargets('{"a":1}')).toEqual([]);
    expect(parseRecentTargets(JSON.stringify(['http://ok/', 42, 'javascript:x', 'http://u:p@x/']))).toEqual(['http://ok/']);
    const storage = memoryStorage({ [RECENT_TARGETS_KEY]: JSON.stringify(['http://a/']) });
    expect(rememberTarget('http://b/', storage)).toEqual(['http://b/', 'http://a/']);
    expect(loadRecentTargets(storage)).toEqual(['http://b/', 'http://a/']);
    expect(loadRecentTargets(null)).toEqual([]);
  });
});

describe('signing', () => {
  it('maps each choice to the fields the server reads', () => {
    // What the API validates (the contract's schema), then how the route signs.
    const read = (fields: object) => signingFrom(ReplayRequest.parse({ target: 'http://127.0.0.1:9/', ...fields }));
    expect(read(signingFields({ choice: 'token', token: 't0k' }))).toEqual({ mode: 'token', token: 't0k' });
    expect(read(signingFields({ choice: 'keep', token: 'ignored' }))).toEqual({ mode: 'keep' });
    expect(read(signingFields({ choice: 'none', token: 'ignored' }))).toEqual({ mode: 'none' });
    expect(describeBadSigning({ choice: 'token', token: '' })).not.toBeNull();
    expect(describeBadSigning({ choice: 'none', token: '' })).toBeNull();
  });
});

describe('checkJson', () => {
  it('accepts JSON and explains where it breaks', () => {
    expect(checkJson('{"a":[1,2,{"b":null}]}')).toEqual({ ok: true });
    const bad = checkJson('{\n  "a": 1,\n}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.line).toBe(3);
      expect(bad.column).toBe(1);
      expect(bad.message).not.toMatch(/position \d+/);
    }
    expect(checkJson('   ')).toMatchObject({ ok: false, message: 'The body is empty.' });
  });

  it('finds line and column of an offset', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionOf('', 10)).toEqual({ line: 1, column: 1 });
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('{oops')).toBe('{oops');
  });
});

describe('send form', () => {
  it('knows the 29 documented types, in the server catalog order', () => {
    expect(ALL_EVENT_TYPES).toHaveLength(29);
    expect([...ALL_EVENT_TYPES].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('builds requests the server accepts, for each scope', () => {
    const all = { ...initialSendForm(), count: 2 };
    expect(requestCount(all)).toBe(58);
    expect(SendRequest.parse(toSendRequest(all))).toMatchObject({ all: true, count: 2 });

    const cat = { ...initialSendForm(), scope: 'category' as const, category: 'misconfiguration', categoryForm: 'legacy' as const };
    expect(selectedTypes(cat)).toHaveLength(4);
    expect(SendRequest.parse(toSendRequest(cat))).toMatchObject({ category: 'misconfiguration', categoryForm: 'legacy' });

    const chosen = { ...initialSendForm(), scope: 'types' as const, types: ['new_data_type', 'anomaly_detected'], tamper: 'signature' as const, target: 'http://127.0.0.1:9/x', token: 's', seed: '42' };
    const req = toSendRequest(chosen);
    expect(req.types).toEqual(['anomaly_detected', 'new_data_type']); // catalog order
    expect(SendRequest.parse(req)).toMatchObject({ to: 'http://127.0.0.1:9/x', token: 's', tamper: 'signature', seed: 42 });
    expect(describeSendProblem(chosen)).toBeNull();
  });

  it('makes job ids the server accepts, fresh each time, from getRandomValues', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newJobId()));
    expect(ids.size).toBe(50);
    for (const jobId of ids) expect(SendRequest.parse({ ...toSendRequest(initialSendForm()), jobId })).toMatchObject({ jobId });
    expect(newJobId((b) => b.fill(0xab))).toBe(`send-${'ab'.repeat(12)}`);
  });

  it('says what is missing before anything is sent', () => {
    expect(describeSendProblem({ ...initialSendForm(), scope: 'types' })).toMatch(/at least one/);
    expect(describeSendProblem({ ...initialSendForm(), count: 0 })).toMatch(/Count/);
    expect(describeSendProblem({ ...initialSendForm(), count: 40 })).toMatch(/1160 requests/);
    expect(describeSendProblem({ ...initialSendForm(), target: 'ftp://x' })).toMatch(/http/);
    expect(describeSendProblem({ ...initialSendForm(), seed: 'abc' })).toMatch(/Seed/);
    expect(describeSendProblem({ ...initialSendForm(), tamper: 'body', target: 'http://x/' })).toMatch(/token/);
    // The own receiver signs with its own token: no token needed here.
    expect(describeSendProblem({ ...initialSendForm(), tamper: 'body' })).toBeNull();
  });

  it('toggles single types and whole groups', () => {
    expect(toggleTypes(['a'], ['b', 'c'], true)).toEqual(['a', 'b', 'c']);
    expect(toggleTypes(['a', 'b', 'c'], ['b', 'c'], false)).toEqual(['a']);
    expect(toggleTypes(['a', 'b'], ['b'], true)).toEqual(['a', 'b']);
  });
});

describe('check form', () => {
  it('builds a request the check route accepts, defaults left to the server', () => {
    const req = toCheckRequest({ ...initialCheckForm('http://127.0.0.1:9/hook'), token: 't' });
    expect(req).toEqual({ url: 'http://127.0.0.1:9/hook', token: 't' });
    const full = toCheckRequest({ url: 'http://x/', token: 't', timeoutMs: '500', burst: '20', expectReject: '401, 403 401', largeKiB: '64', only: ' signature ', through: '', sinkWaitS: '' });
    expect(full).toEqual({ url: 'http://x/', token: 't', timeoutMs: 500, burst: 20, expectReject: [401, 403], largeSize: 65536, only: 'signature' });
    expect(readCheckRequest(CheckRequest.parse(full)).settings).toMatchObject({ burst: 20, expectReject: [401, 403], only: 'signature' });
  });

  it('names the first problem', () => {
    const base = { ...initialCheckForm('http://x/'), token: 't' };
    expect(toCheckRequest({ ...base, url: '' })).toMatch(/URL/);
    expect(toCheckRequest({ ...base, token: '' })).toMatch(/token/);
    expect(toCheckRequest({ ...base, burst: '0' })).toMatch(/Burst/);
    expect(toCheckRequest({ ...base, expectReject: '200' })).toMatch(/2xx/);
    expect(toCheckRequest({ ...base, expectReject: 'abc' })).toMatch(/statuses/);
    expect(toCheckRequest({ ...base, through: 'hec', sinkWaitS: '601' })).toMatch(/Wait for the SIEM/);
  });

  it('asks for a check through the SIEM, which the route reads into the settings', () => {
    const req = toCheckRequest({ ...initialCheckForm('http://x/'), token: 't', through: 'elastic', sinkWaitS: '3' });
    expect(req).toEqual({ url: 'http://x/', token: 't', through: 'elastic', sinkWaitMs: 3000 });
    // The route reads what the contract's schema let through, as the validator middleware hands it over.
    expect(readCheckRequest(CheckRequest.parse(req)).settings).toMatchObject({ through: 'elastic', sinkWaitMs: 3000 });
    expect(readCheckRequest(CheckRequest.parse({ url: 'http://x/', token: 't', through: 'hec' })).settings.sinkWaitMs).toBe(10_000);
    const kafka = CheckRequest.safeParse({ url: 'http://x/', token: 't', through: 'kafka' });
    expect(kafka.success).toBe(false);
    expect(kafka.error?.issues.map((i) => i.path.join('.'))).toEqual(['through']);
    expect(() => readCheckRequest(CheckRequest.parse({ url: 'http://x/', token: 't', sinkWaitMs: 5 }))).toThrow(/sinkWaitMs: goes with through/);
  });
});

describe('formatMs', () => {
  it('keeps small latencies readable', () => {
    expect(formatMs(0.634)).toBe('0.6 ms');
    expect(formatMs(9.47)).toBe('9.5 ms');
    expect(formatMs(15.91)).toBe('16 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
  });
});
