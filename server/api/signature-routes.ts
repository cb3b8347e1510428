// GET /api/deliveries/:id/signature: for signature debugging, the `sha256=` each configured
// token would give the stored body, masked (enough to compare at a glance, too little to
// forge with), beside what arrived, and for an invalid verdict whether the body changed
// since signing or another token signed it. The tokens themselves are never answered.
import type { SignatureDiagnosis, SignatureExpectation } from '../common/protocol.ts';
import { eventIdOf } from '../soveren/event-keys.ts';
import { signBody } from '../soveren/signature.ts';
import { diagnoseInvalidSignature, type SiblingEvidence } from '../soveren/signature-diagnosis.ts';
import type { SignatureSiblings } from '../store/signature-siblings.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { API_ROUTES } from '../common/contract/routes.ts';
import { ApiError, createContractApp } from './errors.ts';
import { SIGNATURE_HEADER } from '../common/catalog.ts';

export interface SignatureRoutesDeps {
  deliveries: Pick<DeliveryStore, 'getRaw'>;
  /** The tokens configured now, newest first (they may differ from those at receipt). */
  tokens: readonly string[];
  /** Verified deliveries sharing the bytes or event link: evidence for the diagnosis. */
  siblings?: Pick<SignatureSiblings, 'find'>;
  /** The stored verdict (the diagnosis is for `invalid` only). */
  verdictOf?: (id: number) => string | undefined;
}

/** The event id of a body's event_link, or null (not JSON, no link). */
function eventIdOfBody(body: Buffer): string | null {
  try {
    const event = JSON.parse(body.toString('utf8')) as { event_link?: unknown } | null;
    return typeof event?.event_link === 'string' ? eventIdOf(event.event_link)?.toLowerCase() ?? null : null;
  } catch {
    return null;
  }
}

const PREFIX = 'sha256=';

/** `sha256=` + the first 6 and last 4 hex digits: comparable by eye, useless to forge. */
export function maskDigest(value: string): string {
  if (!value.startsWith(PREFIX)) return value.length > 12 ? `${value.slice(0, 12)}…` : value;
  const hex = value.slice(PREFIX.length);
  if (hex.length <= 10) return value;
  return `${PREFIX}${hex.slice(0, 6)}…${hex.slice(-4)}`;
}

export function createSignatureRoutes(deps: SignatureRoutesDeps) {
  return createContractApp().openapi(API_ROUTES.signatureExpectation, (c) => {
    const { id } = c.req.valid('param');
    const raw = deps.deliveries.getRaw(id);
    if (!raw) throw new ApiError(404, `delivery ${id} not found`);
    const received = raw.headers.filter(([name]) => name.toLowerCase() === SIGNATURE_HEADER).map(([, value]) => value);
    const single = received.length === 1 ? received[0]!.toLowerCase() : null;
    const expected = deps.tokens.map((token, index) => {
      const digest = signBody(raw.body, token);
      return { token: index + 1, masked: maskDigest(digest), matches: single === digest };
    });
    let diagnosis: SignatureDiagnosis | null = null;
    if (deps.siblings && deps.verdictOf?.(id) === 'invalid') {
      const link = eventIdOfBody(raw.body);
      const siblings: SiblingEvidence[] = [];
      for (const s of deps.siblings.find(id)) {
        const other = deps.deliveries.getRaw(s.id);
        if (!other) continue;
        // A link key may collide: the event ids themselves must agree.
        const sameLink = s.sameLinkKey && link !== null && eventIdOfBody(other.body) === link;
        if (!s.sameBody && !sameLink) continue;
        const headers = other.headers.filter(([name]) => name.toLowerCase() === SIGNATURE_HEADER).map(([, value]) => value);
        siblings.push({ id: s.id, sameBody: s.sameBody, sameLink, signatureHeaders: headers });
      }
      diagnosis = diagnoseInvalidSignature({ received, tokenMatchingNow: expected.find((e) => e.matches)?.token ?? null, siblings });
    }
    const body: SignatureExpectation = {
      received: received.map((value) => ({ masked: maskDigest(value), length: value.length })),
      expected,
      diagnosis,
    };
    return c.json(body, 200);
  });
}
