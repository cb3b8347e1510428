// JSON bodies of the sender's API routes -> checked values, or an InputError whose message
// names the field. Pure. Error messages never include a token's value.
import type { ForwardingUpdate, TamperKind, TransportFormat } from '../shared/protocol.ts';
import type { CategoryForm } from '../soveren/events.ts';
import { isValidJobId } from '../sender/jobs.ts';
import type { ReplaySigning } from '../sender/replay.ts';
import { TAMPER_KINDS } from '../sender/soveren-request.ts';
import { describeBadTarget } from '../sender/target-url.ts';
import { openSiemRoute, RouteError, type SiemRoute } from '../sender/transports/index.ts';
import { parsePayloadFormat, parseTarget, PAYLOAD_FORMATS } from '../sender/transports/target.ts';

export class InputError extends Error {}

type Body = Record<string, unknown>;

export function readTarget(b: Body, field: string, required: true): string;
export function readTarget(b: Body, field: string, required: false): string | undefined;
export function readTarget(b: Body, field: string, required: boolean): string | undefined {
  const v = b[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw new InputError(`${field} is required: the URL to send to`);
    return undefined;
  }
  if (typeof v !== 'string') throw new InputError(`${field} must be a URL string`);
  const problem = describeBadTarget(v);
  if (problem) throw new InputError(`${field}: ${problem}`);
  return v;
}

/** A replay or forwarding target: http(s) webhook or a SIEM scheme (hec+, elastic+, syslog+). */
export function readDeliveryTarget(b: Body, field: string): string {
  const v = b[field];
  if (v === undefined || v === null || v === '') throw new InputError(`${field} is required: the URL to send to`);
  if (typeof v !== 'string') throw new InputError(`${field} must be a URL string`);
  const t = parseTarget(v);
  if ('error' in t) throw new InputError(`${field}: ${t.error}`);
  return v;
}

function readSecret(b: Body, field: string): string | null | undefined {
  const v = b[field];
  if (v === undefined) return undefined;
  if (v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > 4096) throw new InputError(`${field} must be a string of at most 4096 characters`);
  return v;
}

function readFormat(b: Body): TransportFormat | null | undefined {
  const v = b.format;
  if (v === undefined) return undefined;
  if (v === null) return null;
  const f = typeof v === 'string' ? parsePayloadFormat(v) : null;
  if (f === null || f === 'hec') throw new InputError(`format must be one of ${PAYLOAD_FORMATS.join(', ')}`);
  return f;
}

/**
 * The SIEM route for a replay target (null for http(s)): `format`, `hecToken`, `hecAck`,
 * `elasticApiKey` from the body, used for this request only and then dropped.
 */
export function readSiemRoute(b: Body, target: string): SiemRoute | null {
  const t = parseTarget(target);
  if ('error' in t) throw new InputError(`target: ${t.error}`);
  const format = readFormat(b) ?? undefined;
  const hecToken = readSecret(b, 'hecToken') ?? null;
  const elasticApiKey = readSecret(b, 'elasticApiKey') ?? null;
  try {
    return openSiemRoute(t, format, { hecToken, elasticApiKey, hecAck: readBool(b, 'hecAck') ?? false });
  } catch (err) {
    if (err instanceof RouteError) throw new InputError(`${err.field}: ${err.message}`);
    throw err;
  }
}

export function readInt(b: Body, field: string, min: number, max: number, fallback: number): number;
export function readInt(b: Body, field: string, min: number, max: number, fallback?: undefined): number | undefined;
export function readInt(b: Body, field: string, min: number, max: number, fallback?: number): number | undefined {
  const v = b[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new InputError(`${field} must be a whole number between ${min} and ${max}`);
  return v;
}

export function readRate(b: Body): number | null {
  const v = b.rate;
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !(v > 0) || v > 10_000) throw new InputError('rate must be a number of requests per second above 0, at most 10000');
  return v;
}

export function readString(b: Body, field: string, max: number): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > max) throw new InputError(`${field} must be a string of at most ${max} characters`);
  return v;
}

function readBool(b: Body, field: string): boolean | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new InputError(`${field} must be true or false`);
  return v;
}

function readToken(b: Body): string | undefined {
  const v = b.token;
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > 1000) throw new InputError('token must be a string of at most 1000 characters');
  return v;
}

/** `token` (fresh signature), `keepSignature` (stored header verbatim), or neither (unsigned). */
export function readSigning(b: Body): ReplaySigning {
  const token = readToken(b);
  const keep = readBool(b, 'keepSignature') ?? false;
  if (token !== undefined && keep) throw new InputError('give either token or keepSignature, not both');
  return keep ? { mode: 'keep' } : token !== undefined ? { mode: 'token', token } : { mode: 'none' };
}

export interface SendInput {
  to?: string;
  token?: string;
  types: string[];
  category?: string;
  all: boolean;
  count: number;
  seed?: number;
  categoryForm: CategoryForm;
  tamper: TamperKind | null;
  concurrency: number;
  jobId?: string;
}

function readJobId(b: Body): string | undefined {
  const v = b.jobId;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !isValidJobId(v)) throw new InputError('jobId must be 8 to 64 characters of A-Z, a-z, 0-9, _ or -');
  return v;
}

export function readSendInput(b: Body): SendInput {
  const types = b.types ?? [];
  if (!Array.isArray(types) || types.length > 100 || !types.every((t) => typeof t === 'string')) throw new InputError('types must be a list of event type names');
  const form = b.categoryForm ?? 'display';
  if (form !== 'display' && form !== 'slug' && form !== 'legacy') throw new InputError('categoryForm must be display, slug or legacy');
  const tamper = b.tamper ?? null;
  if (tamper !== null && !TAMPER_KINDS.includes(tamper as TamperKind)) throw new InputError(`tamper must be one of ${TAMPER_KINDS.join(', ')}`);
  const to = readTarget(b, 'to', false);
  const token = readToken(b);
  const category = readString(b, 'category', 100);
  const seed = readInt(b, 'seed', 0, 4_294_967_295);
  const jobId = readJobId(b);
  return {
    ...(to !== undefined && { to }), ...(token !== undefined && { token }), ...(category !== undefined && { category }),
    ...(seed !== undefined && { seed }), ...(jobId !== undefined && { jobId }),
    types: types as string[], all: readBool(b, 'all') ?? false, count: readInt(b, 'count', 1, 1000, 1),
    categoryForm: form, tamper: tamper as TamperKind | null, concurrency: readInt(b, 'concurrency', 1, 16, 4),
  };
}

export function readForwardingUpdate(b: Body): ForwardingUpdate {
  const out: ForwardingUpdate = {};
  const enabled = readBool(b, 'enabled');
  if (enabled !== undefined) out.enabled = enabled;
  if (b.targets !== undefined) {
    if (!Array.isArray(b.targets) || b.targets.length > 10 || !b.targets.every((t) => typeof t === 'string')) {
      throw new InputError('targets must be a list of at most 10 URLs');
    }
    b.targets.forEach((t, i) => readDeliveryTarget({ [`targets[${i}]`]: t }, `targets[${i}]`));
    out.targets = b.targets as string[];
  }
  if (b.token === null) out.token = null;
  else {
    const token = readToken(b);
    if (token !== undefined) out.token = token;
  }
  const keep = readBool(b, 'keepSignature');
  if (keep !== undefined) out.keepSignature = keep;
  const format = readFormat(b);
  if (format !== undefined) out.format = format;
  const hecToken = readSecret(b, 'hecToken');
  if (hecToken !== undefined) out.hecToken = hecToken;
  const hecAck = readBool(b, 'hecAck');
  if (hecAck !== undefined) out.hecAck = hecAck;
  const elasticApiKey = readSecret(b, 'elasticApiKey');
  if (elasticApiKey !== undefined) out.elasticApiKey = elasticApiKey;
  if (typeof out.token === 'string' && out.keepSignature === true) throw new InputError('give either token or keepSignature, not both');
  return out;
}
