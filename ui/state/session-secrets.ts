// Tokens typed in the dialogs, and the last signing mode, kept for this browser tab's session
// (sessionStorage: gone when the tab closes, never in localStorage, never sent to the server
// except in the request the user makes with them). A reload keeps them; a new tab does not.
import type { SigningChoice } from './signing.ts';

/** One key per field, so a token typed for one purpose never fills another's field. */
export type SecretField = 'signing-token' | 'send-token' | 'check-token' | 'hec-token' | 'elastic-api-key';

const PREFIX = 'soveren-inspector.session.';
const MODE_KEY = `${PREFIX}signing-mode`;
const MODES: readonly SigningChoice[] = ['token', 'keep', 'none'];

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function storage(): Store | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled: fields start empty, as before
  }
}

function write(key: string, value: string, store: Store | null): void {
  try {
    if (value === '') store?.removeItem(key);
    else store?.setItem(key, value);
  } catch {
    // quota or disabled: not remembered, nothing else lost
  }
}

export function recallSecret(field: SecretField, store: Store | null = storage()): string {
  return store?.getItem(PREFIX + field) ?? '';
}

/** Remember what was typed; an emptied field forgets. */
export function rememberSecret(field: SecretField, value: string, store: Store | null = storage()): void {
  write(PREFIX + field, value.length > 1000 ? '' : value, store);
}

export function recallSigningMode(store: Store | null = storage()): SigningChoice | null {
  const mode = store?.getItem(MODE_KEY);
  return MODES.find((m) => m === mode) ?? null;
}

export function rememberSigningMode(mode: SigningChoice, store: Store | null = storage()): void {
  write(MODE_KEY, mode, store);
}
