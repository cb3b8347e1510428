// Benchmark payloads: realistic signed Soveren events of about 1.5 KB, all different
// (distinct event links and titles), built with the project's own event factory.
import { EVENT_TYPES } from '../../server/common/catalog.ts';
import { createEvent, serializeEvent, type SoverenEvent } from '../../server/soveren/events.ts';
import { signBody } from '../../server/soveren/signature.ts';

export const BENCH_TOKEN = 'bench-webhook-token';

/** Event `i` of the benchmark: cycles through every documented type, padded to ~1.5 KB. */
export function benchEvent(i: number, targetBytes = 1500): SoverenEvent {
  const type = EVENT_TYPES[i % EVENT_TYPES.length]!;
  const event = createEvent(type, { seed: 11, index: i, now: new Date(1_717_000_000_000 + i * 1000) });
  event.title = `${event.title} #${i}`;
  // Conflicting assets are part of Soveren's event shape; extra ones bring small events to size.
  const assets = [...(event.conflicting_assets ?? [])];
  let n = 0;
  while (serializeEvent({ ...event, conflicting_assets: assets }).length < targetBytes - 60) {
    assets.push({ name: `Vendor ${i}-${n}`, link: `https://app.soveren.io/data-map/assets/${10_000 + ((i * 31 + n) % 89_999)}` });
    n++;
  }
  return assets.length ? { ...event, conflicting_assets: assets } : event;
}

export interface SignedBody {
  body: Buffer;
  signature: string;
}

export function signedBodies(count: number, token = BENCH_TOKEN): SignedBody[] {
  return Array.from({ length: count }, (_, i) => {
    const body = Buffer.from(serializeEvent(benchEvent(i)));
    return { body, signature: signBody(body, token) };
  });
}

/** Headers as Soveren sends them. */
export function soverenHeaders(s: SignedBody): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'SoverenWebhook/1.0',
    'x-soveren-signature': s.signature,
  };
}
