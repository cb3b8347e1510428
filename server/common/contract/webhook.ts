// The receiver's side of the contract: a Soveren webhook delivery as Soveren sends it
// (headers, JSON event) and what the receiver answers, for the OpenAPI document's
// `webhooks:` section. Soveren's fields are those of its public webhook documentation; the receiver
// stores any body byte for byte, so this describes what it expects, not what it refuses.
import { z } from '@hono/zod-openapi';
import { CATEGORIES, EVENT_TYPES, SENSITIVITIES, SIGNATURE_HEADER, SOVEREN_USER_AGENT } from '../catalog.ts';
import { SignatureVerdict } from './entities.ts';

export const SoverenEvent = z.object({
  title: z.string(),
  category: z.string().describe(`one of the category names in any form Soveren has used: ${CATEGORIES.map((c) => c.display).join(', ')}`),
  event_type: z.string().describe(`documented event types: ${EVENT_TYPES.join(', ')}`),
  sensitivity: z.string().optional().describe(SENSITIVITIES.join(', ')),
  time: z.string().optional().describe('ISO 8601'),
  event_link: z.string().optional(),
}).catchall(z.unknown()).describe('A Soveren security event; fields beyond these depend on the event type and are kept.').openapi('SoverenEvent');

export const ReceiverAnswer = z.object({
  ok: z.boolean(), id: z.number().int().describe('the stored delivery, in the UI and /api/deliveries/{id}'), signature: SignatureVerdict,
  error: z.string().optional().describe('why it was refused, in words'),
}).openapi('ReceiverAnswer');

const answer = (description: string) => ({ description, content: { 'application/json': { schema: ReceiverAnswer } } });

/** For OpenAPIRegistry.registerWebhook: the delivery Soveren POSTs to the receiver port. */
export const SOVEREN_DELIVERY = {
  method: 'post' as const,
  path: 'soverenDelivery',
  summary: 'A Soveren webhook delivery, received on the receiver port (any path, any method is recorded)',
  request: {
    headers: z.object({
      'content-type': z.literal('application/json'),
      'user-agent': z.string().describe(`${SOVEREN_USER_AGENT} (others are recorded, refused only with --require-user-agent)`),
      [SIGNATURE_HEADER]: z.string().regex(/^sha256=[0-9a-f]{64}$/).optional().describe('HMAC-SHA-256 of the raw body with the webhook token, lowercase hex'),
    }),
    body: { content: { 'application/json': { schema: SoverenEvent } }, required: true },
  },
  responses: {
    200: answer('stored and committed (the status is --response-status, 200 by default, any 2xx-5xx when simulating)'),
    401: answer('with --token: the signature is not valid (missing, malformed, invalid); stored anyway, unless --accept-invalid'),
    403: answer('with --require-user-agent: the user agent is not SoverenWebhook/1.0; stored anyway'),
    413: answer('the body is over --max-body; recorded without its body, and the connection closed'),
  },
};
