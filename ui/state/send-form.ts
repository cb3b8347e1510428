// The Send panel's form as plain data: what to send, how, and where, turned into a
// SendRequest (or a sentence saying what is missing). Pure, tested beside the others.
import type { TamperKind } from '../../server/common/protocol.ts';
import type { SendRequest } from '../../server/common/contract/client-type.ts';
import { UI_CATEGORIES } from './categories.ts';
import { describeBadTarget } from './targets.ts';

export type SendScope = 'all' | 'category' | 'types';
export type CategoryForm = NonNullable<SendRequest['categoryForm']>;

export interface SendForm {
  scope: SendScope;
  category: string;
  types: readonly string[];
  count: number;
  categoryForm: CategoryForm;
  tamper: TamperKind | '';
  /** Empty: this inspector's own receiver. */
  target: string;
  token: string;
  seed: string;
}

export const MAX_SEND_REQUESTS = 1000;

export const TAMPER_OPTIONS: readonly { value: TamperKind; label: string; hint: string; needsToken: boolean }[] = [
  { value: 'signature', label: 'Wrong signature', hint: 'signed with another token: a strict receiver answers 401', needsToken: true },
  { value: 'body', label: 'Body changed', hint: 'the body is changed after signing: the signature no longer matches', needsToken: true },
  { value: 'missing-signature', label: 'No signature', hint: 'the x-soveren-signature header is left out', needsToken: true },
  { value: 'user-agent', label: 'Wrong User-Agent', hint: 'a User-Agent other than SoverenWebhook/1.0', needsToken: false },
  { value: 'malformed-json', label: 'Malformed JSON', hint: 'a body that is not JSON, correctly signed', needsToken: false },
];

export const ALL_EVENT_TYPES: readonly string[] = UI_CATEGORIES.flatMap((c) => c.eventTypes);

export function initialSendForm(): SendForm {
  return { scope: 'all', category: UI_CATEGORIES[0]!.facet, types: [], count: 1, categoryForm: 'display', tamper: '', target: '', token: '', seed: '' };
}

/** Event types the form selects, in catalog order. */
export function selectedTypes(form: SendForm): readonly string[] {
  if (form.scope === 'all') return ALL_EVENT_TYPES;
  if (form.scope === 'category') return UI_CATEGORIES.find((c) => c.facet === form.category)?.eventTypes ?? [];
  return ALL_EVENT_TYPES.filter((t) => form.types.includes(t));
}

export function requestCount(form: SendForm): number {
  return selectedTypes(form).length * (Number.isInteger(form.count) ? form.count : 0);
}

/** Adds or removes types (a whole category's at once when given several). */
export function toggleTypes(current: readonly string[], types: readonly string[], on: boolean): string[] {
  const rest = current.filter((t) => !types.includes(t));
  return on ? [...rest, ...types] : rest;
}

/** What stops the form from being sent, in one sentence, or null. */
export function describeSendProblem(form: SendForm): string | null {
  if (form.scope === 'types' && form.types.length === 0) return 'Choose at least one event type.';
  if (!Number.isInteger(form.count) || form.count < 1 || form.count > 1000) return 'Count must be a whole number from 1 to 1000.';
  const n = requestCount(form);
  if (n > MAX_SEND_REQUESTS) return `That is ${n} requests; the panel sends at most ${MAX_SEND_REQUESTS} (use the send command for more).`;
  if (form.target.trim() !== '') {
    const bad = describeBadTarget(form.target);
    if (bad) return bad;
  }
  if (form.seed.trim() !== '' && !/^\d{1,10}$/.test(form.seed.trim())) return 'Seed must be a whole number (or empty for a random one).';
  const tamper = TAMPER_OPTIONS.find((t) => t.value === form.tamper);
  if (tamper?.needsToken && form.token === '' && form.target.trim() !== '') return 'This tamper needs a token to sign with.';
  return null;
}

/**
 * A fresh SendRequest.jobId (server: 8-64 of [A-Za-z0-9_-]). getRandomValues, not
 * randomUUID: the UI may be served over plain http on a LAN address, where randomUUID
 * (secure contexts only) is missing.
 */
export function newJobId(fill: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => void crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(12);
  fill(bytes);
  return `send-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function toSendRequest(form: SendForm): SendRequest {
  const req: SendRequest = { count: form.count, categoryForm: form.categoryForm };
  if (form.scope === 'all') req.all = true;
  else if (form.scope === 'category') req.category = form.category;
  else req.types = [...selectedTypes(form)];
  if (form.tamper !== '') req.tamper = form.tamper;
  if (form.target.trim() !== '') req.to = form.target.trim();
  if (form.token !== '') req.token = form.token;
  if (form.seed.trim() !== '') req.seed = Number(form.seed.trim());
  return req;
}
