// GET /api/deliveries/:id/signature: for signature debugging, the `sha256=` each configured
// token would give the stored body, masked (enough to compare at a glance, too little to
// forge with), beside what arrived. The tokens themselves are never answered.
import type { SignatureExpectation } from '../shared/protocol.ts';
import { signBody } from '../soveren/signature.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import { API_ROUTES } from '../shared/contract/routes.ts';
import { ApiError, createContractApp } from './errors.ts';
import { SIGNATURE_HEADER } from '../shared/catalog.ts';

export interface SignatureRoutesDeps {
  deliveries: Pick<DeliveryStore, 'getRaw'>;
  /** The tokens configured now, newest first (they may differ from those at receipt). */
  tokens: readonly string[];
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
    const body: SignatureExpectation = {
      received: received.map((value) => ({ masked: maskDigest(value), length: value.length })),
      expected: deps.tokens.map((token, index) => {
        const expected = signBody(raw.body, token);
        return { token: index + 1, masked: maskDigest(expected), matches: single === expected };
      }),
    };
    return c.json(body, 200);
  });
}
