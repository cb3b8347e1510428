// Why an `invalid` signature is invalid, where the stored data can tell: the body changed
// after it was signed, or another token signed it. Evidence comes from the tokens configured
// now and from sibling deliveries that verified (same bytes, or the same event link). Pure:
// the caller gathers the evidence.
import type { SignatureDiagnosis } from '../common/protocol.ts';

/** A delivery that verified (`valid`) and shares the bytes or the event link with the invalid one. */
export interface SiblingEvidence {
  id: number;
  /** Exactly the same body bytes (same SHA-256). */
  sameBody: boolean;
  /** The same event (event link's id), confirmed on both bodies. */
  sameLink: boolean;
  /** Its x-soveren-signature header values, as received. */
  signatureHeaders: readonly string[];
}

export interface DiagnosisInput {
  /** The invalid delivery's x-soveren-signature header values. */
  received: readonly string[];
  /** 1-based index of a token configured now that verifies the stored bytes, or null. */
  tokenMatchingNow: number | null;
  siblings: readonly SiblingEvidence[];
}

const lower = (v: string) => v.trim().toLowerCase();

export function diagnoseInvalidSignature(input: DiagnosisInput): SignatureDiagnosis {
  if (input.tokenMatchingNow !== null) {
    return {
      cause: 'another-token', deliveryId: null,
      reason: `token ${input.tokenMatchingNow} (configured now) verifies these exact bytes, so the body is as it was signed: it was signed with a token this receiver did not hold when it arrived (a rotation?)`,
    };
  }
  const same = input.siblings.find((s) => s.sameBody);
  if (same) {
    return {
      cause: 'another-token', deliveryId: same.id,
      reason: `delivery #${same.id} has exactly these bytes and its signature verified, so the body is fine: this one's signature was made with another token`,
    };
  }
  const received = new Set(input.received.map(lower));
  const carried = input.siblings.find((s) => s.sameLink && s.signatureHeaders.some((h) => received.has(lower(h))));
  if (carried) {
    return {
      cause: 'body-changed', deliveryId: carried.id,
      reason: `delivery #${carried.id} of the same event carried this very signature and verified over its own bytes: the signature was made for that body, so this body changed after signing`,
    };
  }
  const event = input.siblings.find((s) => s.sameLink);
  if (event) {
    return {
      cause: 'body-changed', deliveryId: event.id,
      reason: `delivery #${event.id} of the same event verified with different bytes: most likely this body was changed after signing (compare the two bodies); a sender re-signing with another token would also look like this`,
    };
  }
  return {
    cause: 'unknown', deliveryId: null,
    reason: 'no delivery with these bytes or of the same event verified, so the stored data cannot tell a changed body from another token; try a token below, or replay this body signed with the current token',
  };
}
