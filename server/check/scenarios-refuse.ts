// Scenarios a conforming connector refuses: deliveries whose signature is wrong, missing or
// malformed (401/403 by default), and validly signed bodies that are not an event (4xx).
import { createHmac, randomBytes } from 'node:crypto';
import { signBody } from '../soveren/signature.ts';
import { expectedList, judgeClientError, judgeRefused, noteInfo } from './judge.ts';
import { eventBody, post, soverenHeaders, type Scenario, type ScenarioContext } from './scenario.ts';

interface Probe {
  id: string;
  name: string;
  what: string;
  /** What accepting it means for the connector, in plain words. */
  accepted: string;
  signatures: (ctx: ScenarioContext, body: Buffer) => string[];
  /** Sign one body, send another. */
  tamperBody?: boolean;
}

const PROBES: Probe[] = [
  {
    id: 'signature-other-token', name: 'signature made with another token is refused',
    what: 'a delivery signed with another token',
    accepted: 'accepted a delivery whose signature was made with another token: the connector does not verify signatures',
    signatures: (_ctx, body) => [signBody(body, randomBytes(24).toString('base64url'))],
  },
  {
    id: 'signature-other-body', name: 'signature over a different body is refused',
    what: 'a body that differs from the signed one',
    accepted: 'accepted a body that differs from the one that was signed: the connector does not compute the HMAC over the raw body it received',
    signatures: (ctx, body) => [signBody(body, ctx.token)],
    tamperBody: true,
  },
  {
    id: 'signature-missing', name: 'missing signature header is refused',
    what: 'a delivery without x-soveren-signature',
    accepted: 'accepted a delivery without an x-soveren-signature header: the connector treats the signature as optional, so anyone can post events to it',
    signatures: () => [],
  },
  {
    id: 'signature-malformed-junk', name: 'malformed signature header (sha256= + junk) is refused',
    what: 'a signature header that is not sha256=<64 hex>',
    accepted: 'accepted a signature header of "sha256=" followed by junk: the connector does not check the signature\'s shape or value',
    signatures: () => ['sha256=' + 'not-a-hex-digest-'.repeat(4).slice(0, 64)],
  },
  {
    id: 'signature-malformed-sha1', name: 'malformed signature header (sha1= scheme) is refused',
    what: 'a sha1= signature header',
    accepted: 'accepted a sha1= signature: the connector must accept only sha256=<hex>, the scheme Soveren uses',
    signatures: (ctx, body) => ['sha1=' + createHmac('sha1', ctx.token).update(body).digest('hex')],
  },
  {
    id: 'signature-duplicate-header', name: 'two signature headers are refused',
    what: 'a delivery with two x-soveren-signature headers',
    accepted: 'accepted a delivery with two signature headers (one valid, one from another token): the connector may be trusting whichever header it sees first',
    signatures: (ctx, body) => [signBody(body, ctx.token), signBody(body, randomBytes(24).toString('base64url'))],
  },
];

export function createSignatureScenarios(expectReject: readonly number[]): Scenario[] {
  const expected = expectedList(expectReject);
  const refused = PROBES.map((p): Scenario => ({
    id: p.id, name: p.name, group: 'signature', required: true, expected,
    async run(ctx) {
      const body = eventBody(ctx, 'policy_violation');
      const signatures = p.signatures(ctx, body);
      // Same event, one field changed after signing: valid JSON, wrong signature.
      const sent = p.tamperBody ? Buffer.from(body.toString('utf8').replace(/"sensitivity":"\w+"/, '"sensitivity":"Low"').replace(/"title":"/, '"title":"[changed] '), 'utf8') : body;
      return judgeRefused(await post(ctx, sent, soverenHeaders(ctx, sent, { signatures })), p.what, expectReject, p.accepted);
    },
  }));
  const uppercase: Scenario = {
    id: 'signature-uppercase-hex', name: 'signature in uppercase hex (noted: Soveren sends lowercase)',
    group: 'signature', required: false, expected: 'noted',
    async run(ctx) {
      const body = eventBody(ctx, 'policy_violation');
      const signature = 'sha256=' + signBody(body, ctx.token).slice('sha256='.length).toUpperCase();
      const res = await post(ctx, body, soverenHeaders(ctx, body, { signatures: [signature] }));
      if (res.ok) return noteInfo(res, 'accepted uppercase hex: the connector compares digests case-insensitively; harmless, Soveren sends lowercase');
      if (res.status !== null && res.status < 500) return noteInfo(res, `refused uppercase hex with ${res.status}: a strict comparison; fine, Soveren sends lowercase`);
      return noteInfo(res, `answered ${res.status === null ? `nothing (${res.error})` : res.status}: a signature it cannot match should be refused with ${expected}, not an error`);
    },
  };
  return [...refused, uppercase];
}

export function createJsonScenarios(): Scenario[] {
  return [
    {
      id: 'json-malformed', name: 'malformed json, validly signed, gets 4xx, never 5xx',
      group: 'json', required: true, expected: '4xx',
      async run(ctx) {
        const text = eventBody(ctx, 'anomaly_detected').toString('utf8');
        const body = Buffer.from(text.slice(0, Math.floor(text.length / 2)), 'utf8'); // cut mid-event
        return judgeClientError(await post(ctx, body, soverenHeaders(ctx, body)), 'a validly signed body that is not JSON',
          'accepted a validly signed body that is not JSON: the connector should answer 400 so the bad delivery is visible, not drop it silently');
      },
    },
    {
      id: 'json-empty-body', name: 'empty body (no json), validly signed, gets 4xx, never 5xx',
      group: 'json', required: true, expected: '4xx',
      async run(ctx) {
        const body = Buffer.alloc(0);
        return judgeClientError(await post(ctx, body, soverenHeaders(ctx, body)), 'a validly signed empty body',
          'accepted a validly signed empty body: there is no event in it; the connector should answer 400');
      },
    },
  ];
}
