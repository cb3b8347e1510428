// How a sender form signs its requests, turned into the API's body fields. The token only
// ever goes into a JSON request body.

export type SigningChoice = 'token' | 'keep' | 'none';

export interface SigningInput {
  choice: SigningChoice;
  token: string;
}

export type SigningFields = { token: string } | { keepSignature: true } | Record<string, never>;

/** What is wrong with the choice (one sentence), or null. */
export function describeBadSigning(input: SigningInput): string | null {
  if (input.choice === 'token' && input.token === '') return 'Enter the token to sign with, or choose another signing option.';
  if (input.choice === 'token' && input.token.length > 1000) return 'The token is longer than 1000 characters.';
  return null;
}

export function signingFields(input: SigningInput): SigningFields {
  if (input.choice === 'token') return { token: input.token };
  if (input.choice === 'keep') return { keepSignature: true };
  return {};
}

export const SIGNING_LABELS: Record<SigningChoice, { label: string; hint: string }> = {
  token: { label: 'Fresh signature', hint: 'HMAC-SHA-256 over the body with the token you type' },
  keep: { label: 'Keep the received signature', hint: 'the stored x-soveren-signature header, verbatim' },
  none: { label: 'Unsigned', hint: 'no x-soveren-signature header' },
};
