// Typed tokens and the signing mode kept for the session: per field, emptied fields forget,
// junk modes and oversized values are not kept.
import { describe, expect, it } from 'vitest';
import { recallSecret, recallSigningMode, rememberSecret, rememberSigningMode } from '../../ui/state/session-secrets.ts';

function memory() {
  const map = new Map<string, string>();
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
}

describe('session secrets', () => {
  it('keeps each field apart and forgets an emptied one', () => {
    const s = memory();
    rememberSecret('signing-token', 'abc', s);
    rememberSecret('send-token', 'xyz', s);
    expect(recallSecret('signing-token', s)).toBe('abc');
    expect(recallSecret('send-token', s)).toBe('xyz');
    expect(recallSecret('check-token', s)).toBe('');
    rememberSecret('signing-token', '', s);
    expect(recallSecret('signing-token', s)).toBe('');
    rememberSecret('hec-token', 'x'.repeat(1001), s);
    expect(recallSecret('hec-token', s)).toBe('');
    expect(recallSecret('send-token', null)).toBe('');
  });

  it('remembers the last signing mode, ignoring anything else', () => {
    const s = memory();
    expect(recallSigningMode(s)).toBeNull();
    rememberSigningMode('none', s);
    expect(recallSigningMode(s)).toBe('none');
    s.setItem('soveren-inspector.session.signing-mode', 'sometimes');
    expect(recallSigningMode(s)).toBeNull();
  });
});
