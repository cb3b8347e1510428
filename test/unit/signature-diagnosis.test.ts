// The diagnosis of an invalid signature from its evidence: a token configured now that
// verifies, a verified delivery with the same bytes, one of the same event with the same
// signature, one of the same event with other bytes, or nothing to go on.
import { describe, expect, it } from 'vitest';
import { diagnoseInvalidSignature, type SiblingEvidence } from '../../server/soveren/signature-diagnosis.ts';

const SIG = 'sha256=' + 'ab'.repeat(32);
const sib = (over: Partial<SiblingEvidence>): SiblingEvidence => ({ id: 7, sameBody: false, sameLink: false, signatureHeaders: [], ...over });

describe('diagnoseInvalidSignature', () => {
  it('blames another token when a token configured now verifies the bytes', () => {
    expect(diagnoseInvalidSignature({ received: [SIG], tokenMatchingNow: 2, siblings: [] })).toMatchObject({ cause: 'another-token', deliveryId: null });
  });
  it('blames another token when the same bytes verified elsewhere', () => {
    expect(diagnoseInvalidSignature({ received: [SIG], tokenMatchingNow: null, siblings: [sib({ id: 3, sameLink: true }), sib({ id: 4, sameBody: true })] }))
      .toMatchObject({ cause: 'another-token', deliveryId: 4 });
  });
  it('blames the body when the same signature verified over another body of the same event (case-blind hex)', () => {
    const d = diagnoseInvalidSignature({ received: [SIG], tokenMatchingNow: null, siblings: [sib({ id: 5, sameLink: true, signatureHeaders: [SIG.toUpperCase().replace('SHA256=', 'sha256=')] })] });
    expect(d).toMatchObject({ cause: 'body-changed', deliveryId: 5 });
    expect(d.reason).toContain('this very signature');
  });
  it('calls a same-event sibling with other bytes and another signature a likely body change', () => {
    const d = diagnoseInvalidSignature({ received: [SIG], tokenMatchingNow: null, siblings: [sib({ id: 6, sameLink: true, signatureHeaders: ['sha256=' + 'cd'.repeat(32)] })] });
    expect(d).toMatchObject({ cause: 'body-changed', deliveryId: 6 });
    expect(d.reason).toContain('most likely');
  });
  it('says it cannot tell without evidence', () => {
    expect(diagnoseInvalidSignature({ received: [SIG], tokenMatchingNow: null, siblings: [] })).toMatchObject({ cause: 'unknown', deliveryId: null });
  });
});
