// Options as one table per command (flag, env var, default, validator) -> frozen values.
// Every flag has an environment variable SOVEREN_INSPECTOR_<FLAG>; bad values become a
// UsageError whose one-line message names the flag.

export class UsageError extends Error {}

type Kind = 'string' | 'int' | 'bytes' | 'duration' | 'boolean';

export interface OptionSpec {
  flag: string; // without dashes, kebab-case
  kind: Kind;
  help: string;
  default?: string | number | boolean;
  repeatable?: boolean;
  short?: string;
  /** Allowed values for a string option. */
  choices?: readonly string[];
  /** Extra environment variable consulted before SOVEREN_INSPECTOR_<FLAG>. */
  env?: string;
  /** Valid range for numbers. */
  min?: number;
  max?: number;
  /** Shown instead of the value in help/logs (tokens). */
  secret?: boolean;
}

export type OptionValue = string | number | boolean | string[] | undefined;
export type OptionValues = Readonly<Record<string, OptionValue>>;

export function envName(flag: string): string {
  return 'SOVEREN_INSPECTOR_' + flag.toUpperCase().replace(/-/g, '_');
}

/** Parse argv (after the command name) against a table; returns values and positionals. */
export function parseOptions(
  specs: readonly OptionSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): { values: OptionValues; positionals: string[] } {
  const byFlag = new Map(specs.map((s) => [s.flag, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const raw = new Map<string, string[]>();
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = long ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    let spec = long ? byFlag.get(name) : byShort.get(name);
    let negated = false;
    if (!spec && long && name.startsWith('no-')) {
      spec = byFlag.get(name.slice(3));
      negated = spec?.kind === 'boolean';
      if (!negated) spec = undefined;
    }
    if (!spec) {
      const near = long ? suggestFlags(name, specs.map((s) => s.flag)) : [];
      const hint = near.length ? `; did you mean ${near.map((f) => `--${f}`).join(' or ')}?` : '';
      throw new UsageError(`unknown option ${long ? '--' : '-'}${name}${hint} (see --help)`);
    }
    let value: string;
    if (spec.kind === 'boolean') {
      value = negated ? 'false' : eq >= 0 ? body.slice(eq + 1) : 'true';
    } else if (eq >= 0) {
      value = body.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${spec.flag} needs a value`);
      value = next;
      i++;
    }
    raw.set(spec.flag, [...(spec.repeatable ? raw.get(spec.flag) ?? [] : []), value]);
  }

  const values: Record<string, OptionValue> = {};
  for (const spec of specs) {
    let given = raw.get(spec.flag);
    if (!given) {
      const fromEnv = (spec.env && env[spec.env]) || env[envName(spec.flag)];
      if (fromEnv !== undefined && fromEnv !== '') {
        given = spec.repeatable ? fromEnv.split(',').map((s) => s.trim()).filter(Boolean) : [fromEnv];
      }
    }
    if (!given) {
      const d = spec.default;
      values[spec.flag] = spec.repeatable ? [] : typeof d === 'string' && spec.kind !== 'string' ? convert(spec, d) : d;
      continue;
    }
    const converted = given.map((v) => convert(spec, v));
    values[spec.flag] = spec.repeatable ? (converted as string[]) : converted[converted.length - 1];
  }
  return { values: Object.freeze(values), positionals };
}

function convert(spec: OptionSpec, v: string): string | number | boolean {
  const flag = `--${spec.flag}`;
  switch (spec.kind) {
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(v)) return true;
      if (/^(false|0|no|off)$/i.test(v)) return false;
      throw new UsageError(`${flag} takes true or false, got "${v}"`);
    case 'int': {
      if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag} takes a whole number, got "${v}"`);
      return checkRange(spec, Number(v), v);
    }
    case 'bytes': {
      const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(v);
      if (!m) throw new UsageError(`${flag} takes a size such as 1048576, 512k or 1m, got "${v}"`);
      const unit = (m[2] ?? 'b').toLowerCase()[0]!;
      const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
      return checkRange(spec, Math.floor(Number(m[1]) * mult), v);
    }
    case 'duration': {
      const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(v);
      if (!m) throw new UsageError(`${flag} takes a duration such as 10s, 500ms or 2m, got "${v}"`);
      const unit = m[2] ?? 'ms';
      return checkRange(spec, Math.round(Number(m[1]) * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1)), v);
    }
    case 'string':
      if (spec.choices && !spec.choices.includes(v)) {
        throw new UsageError(`${flag} must be one of ${spec.choices.join(', ')}, got "${v}"`);
      }
      return v;
  }
}

function checkRange(spec: OptionSpec, n: number, original: string): number {
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    const range = spec.max === undefined ? `at least ${spec.min}` : `between ${spec.min ?? 0} and ${spec.max}`;
    throw new UsageError(`--${spec.flag} must be ${range}, got "${original}"`);
  }
  return n;
}

/** Help text for a command: usage line, then one row per option with its env var and default. */
export function formatHelp(usage: string, description: string, specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const left = `  ${s.short ? `-${s.short}, ` : ''}--${s.flag}${s.kind === 'boolean' ? '' : ` <${s.kind === 'int' ? 'n' : s.kind}>`}`;
    const def = s.default !== undefined && !s.secret ? ` (default: ${s.default})` : '';
    const env = s.env ? `${s.env} or ${envName(s.flag)}` : envName(s.flag);
    const rep = s.repeatable ? ' Repeatable; the env var takes a comma-separated list.' : '';
    return `${left.padEnd(30)} ${s.help}${def}.${rep}\n${' '.repeat(31)}env: ${env}`;
  });
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${rows.join('\n')}\n  -h, --help                   Show this help.\n`;
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * What an unknown flag most likely meant: the closest flag, or else every flag it is the
 * last part of (`--port` for --ui-port and --receiver-port, as other tools name them).
 */
export function suggestFlags(typed: string, flags: readonly string[]): string[] {
  const near = closestFlag(typed, flags);
  if (near) return [near];
  return typed.length >= 3 ? flags.filter((f) => f.endsWith(`-${typed}`)) : [];
}

/** The flag (or command) a mistyped one most likely meant (a few edits away, or typed as its start), or null. */
export function closestFlag(typed: string, flags: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const flag of flags) {
    const d = typed.length >= 3 && flag.startsWith(typed) ? 1 : editDistance(typed, flag);
    if (d < bestDistance) {
      best = flag;
      bestDistance = d;
    }
  }
  return bestDistance <= (typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : 3) ? best : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
