// The sinks' pure parts with known answers: CEF escapes, syslog headers (RFC 5424, RFC 3164,
// text), concatenated and array JSON with exact spans, the event id keys, and the comparison
// of an output with a reference mapping.
import { describe, expect, it } from 'vitest';
import { parseCef } from '../../server/sink/cef.ts';
import { parseSyslog } from '../../server/sink/syslog-parse.ts';
import { splitArray, splitConcatenated } from '../../server/sink/json-split.ts';
import { eventIdCandidates, eventIdOf, parseEventTime, titleKeyOf } from '../../server/soveren/event-keys.ts';
import { compareOutput } from '../../server/sink/compare.ts';
import { createFramer } from '../../server/sink/syslog-server.ts';

describe('sink parsers', () => {
  it('reads CEF header and extension escapes', () => {
    const cef = parseCef('CEF:0|Soveren|Soveren|1.0|policy_violation|a \\| b \\\\ c|8|msg=x \\= y\\nz cs1Label=Data types cs1=Email, Phone request=https://e/x?a=1 __proto__=p');
    expect(cef).toMatchObject({ version: '0', name: 'a | b \\ c', severity: '8', deviceEventClassId: 'policy_violation' });
    expect(Object.keys(cef!.extension)).toEqual(['msg', 'cs1Label', 'cs1', 'request', '__proto__']);
    expect([cef!.extension.msg, cef!.extension.cs1, cef!.extension.request, cef!.extension['__proto__']]).toEqual(['x = y\nz', 'Email, Phone', 'https://e/x?a=1', 'p']);
    expect(cef!.labeled['Data types']).toBe('Email, Phone');
    expect(Object.getPrototypeOf(cef!.extension)).toBeNull();
    expect(parseCef('CEF:0|too|few')).toBeNull();
  });

  it('reads RFC 5424, RFC 3164 and plain text', () => {
    expect(parseSyslog('<165>1 2003-10-11T22:14:15.003Z mymachine evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Appl\\"x\\]"] \uFEFFAn application event')).toMatchObject({
      format: 'rfc5424', facility: 20, severity: 5, hostname: 'mymachine', appName: 'evntslog', procId: null, msgId: 'ID47',
      structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Appl"x]' } }, message: 'An application event',
    });
    expect(parseSyslog('<34>Oct 11 22:14:15 mymachine su[123]: su root failed')).toMatchObject({ format: 'rfc3164', facility: 4, severity: 2, hostname: 'mymachine', appName: 'su', procId: '123', message: 'su root failed' });
    expect(parseSyslog('<13>1 - - - - - - {"title":"json msg"}').json).toEqual({ title: 'json msg' });
    expect(parseSyslog('no header at all')).toMatchObject({ format: 'text', facility: null, message: 'no header at all' });
    expect(parseSyslog('<999>1 x').format).toBe('text');
  });

  it('frames TCP by octet count or line feed, and refuses what is neither', () => {
    const octet = createFramer();
    expect(octet.push(Buffer.from('5 <1>a')).frames).toEqual([]);
    expect(octet.push(Buffer.from('b6 <1>cd\n')).frames.map(String)).toEqual(['<1>ab', '<1>cd\n']);
    const lf = createFramer();
    expect(lf.push(Buffer.from('<1>one\n<1>tw')).frames.map(String)).toEqual(['<1>one']);
    expect(lf.push(Buffer.from('o\n')).frames.map(String)).toEqual(['<1>two']);
    expect(createFramer().push(Buffer.from('x')).error).toContain('not syslog');
    expect(createFramer().push(Buffer.from('12a4 x')).error).toContain('bad octet count');
    expect(createFramer().push(Buffer.from('70000 x')).error).toContain('over the 65536-byte limit');
  });

  it('splits JSON with each value’s exact text', () => {
    expect(splitConcatenated('{"a":"}{"} {"b":[1,{"c":2}]}\n"s" 3')).toEqual({
      values: [{ text: '{"a":"}{"}', value: { a: '}{' } }, { text: '{"b":[1,{"c":2}]}', value: { b: [1, { c: 2 }] } }, { text: '"s"', value: 's' }, { text: '3', value: 3 }], error: null,
    });
    expect(splitConcatenated('{"a":1}{"b":').error).toMatchObject({ index: 1 });
    expect(splitArray('[ {"x": "]"} ,\n {"y":2}]')).toEqual([{ text: '{"x": "]"}', value: { x: ']' } }, { text: '{"y":2}', value: { y: 2 } }]);
    expect(splitArray('{"not":"array"}')).toBeNull();
  });

  it('finds event ids and keys times', () => {
    expect(eventIdOf('https://app.soveren.io/events/0f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b?x=1')).toBe('0f3a1c2e-4b5d-4e6f-8a9b-0c1d2e3f4a5b');
    expect(eventIdCandidates('see https://app.soveren.io/events/ABC-1/evidence and 11111111-2222-3333-4444-555555555555')).toEqual(['abc-1']);
    expect(eventIdCandidates('bare 11111111-2222-3333-4444-555555555555')).toEqual(['11111111-2222-3333-4444-555555555555']);
    expect([parseEventTime(1700000000), parseEventTime('1700000000.5'), parseEventTime(1700000000000), parseEventTime('2023-11-14T22:13:20Z')]).toEqual([1700000000000, 1700000000500, 1700000000000, 1700000000000]);
    expect(titleKeyOf('t', 1700000000999)).toBe(titleKeyOf('t', 1700000000000));
    expect(titleKeyOf('t', 1700000001000)).not.toBe(titleKeyOf('t', 1700000000000));
  });

  it('compares an output with the reference field by field', () => {
    const rows = compareOutput('ecs', { message: 'A', event: { severity: 73, action: 'x' }, tags: ['a', 'b'] }, { message: 'A', event: { severity: 21 }, extra: true, tags: ['a', 'b'] });
    expect(rows).toEqual([
      { field: 'message', expected: 'A', actual: 'A', state: 'same' },
      { field: 'event.severity', expected: '73', actual: '21', state: 'differs' },
      { field: 'event.action', expected: 'x', actual: null, state: 'missing' },
      { field: 'tags', expected: '["a","b"]', actual: '["a","b"]', state: 'same' },
      { field: 'extra', expected: null, actual: 'true', state: 'extra' },
    ]);
    const cef = compareOutput('cef', 'CEF:0|Soveren|Soveren|1.0|t|Title|8|msg=Title', { cef: parseCef('CEF:0|Soveren|Soveren|1.0|t|Title|5|msg=Title') });
    expect(cef.filter((r) => r.state !== 'same')).toEqual([{ field: 'severity', expected: '8', actual: '5', state: 'differs' }]);
  });
});
