// A mistyped flag is answered with the one it most likely meant, and nothing when none is close.
import { describe, expect, it } from 'vitest';
import { closestFlag, parseOptions, suggestFlags, UsageError } from '../../server/config.ts';
import { SEND_OPTIONS } from '../../server/commands/send.ts';
import { SERVE_OPTIONS } from '../../server/commands/serve.ts';

const flags = (specs: typeof SERVE_OPTIONS) => specs.map((s) => s.flag);
const errorOf = (specs: typeof SERVE_OPTIONS, argv: string[]) => {
  try {
    parseOptions(specs, argv, {});
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('unknown options', () => {
  it('suggests the closest flag: a typo, a plural, a prefix', () => {
    expect(closestFlag('types', flags(SEND_OPTIONS))).toBe('type');
    expect(closestFlag('toekn', flags(SEND_OPTIONS))).toBe('token');
    expect(closestFlag('receiver', flags(SERVE_OPTIONS))).toBe('receiver-port');
    expect(closestFlag('max-delivery', flags(SERVE_OPTIONS))).toBe('max-deliveries');
  });

  it('suggests nothing when no flag is close', () => {
    expect(closestFlag('frobnicate', flags(SERVE_OPTIONS))).toBeNull();
    expect(closestFlag('zz', flags(SEND_OPTIONS))).toBeNull();
  });

  it('names every flag an unknown one is the last part of, when none is close', () => {
    expect(suggestFlags('port', flags(SERVE_OPTIONS))).toEqual(['ui-port', 'receiver-port', 'sink-port', 'syslog-port']);
    expect(suggestFlags('types', flags(SEND_OPTIONS))).toEqual(['type']);
    expect(suggestFlags('frobnicate', flags(SERVE_OPTIONS))).toEqual([]);
    expect(errorOf(SERVE_OPTIONS, ['--port', '9000'])).toBe('unknown option --port; did you mean --ui-port or --receiver-port or --sink-port or --syslog-port? (see --help)');
  });

  it('says it in the one-line error, naming the flag typed', () => {
    expect(errorOf(SEND_OPTIONS, ['--types', 'x'])).toBe('unknown option --types; did you mean --type? (see --help)');
    expect(errorOf(SERVE_OPTIONS, ['--frobnicate'])).toBe('unknown option --frobnicate (see --help)');
  });
});
