// Live forwarding in integration tests: an inspector that forwards to one target, and its
// forwarding settings and counters through the API, as the UI reads and changes them.
import type { InspectorConfig } from '../../server/inspector.ts';
import type { ForwardingState } from '../../server/common/protocol.ts';
import type { ForwardConfig } from '../../server/sender/forwarder.ts';
import { startTestInspector, type TestInspector } from './inspector.ts';

/** The real inspector forwarding every delivery to `target` (no signing, no retries, 2 at a time unless `forward` says otherwise). */
export function startForwardingInspector(target: string, forward: Partial<ForwardConfig> = {}, config: Partial<InspectorConfig> = {}): Promise<TestInspector> {
  return startTestInspector({
    forward: { targets: [target], token: null, keepSignature: false, failAfterMs: 900_000, concurrency: 2, retries: 0, ...forward },
    ...config,
  });
}

/** GET /api/forwarding. */
export async function forwardingState(t: TestInspector): Promise<ForwardingState> {
  return (await (await fetch(new URL('/api/forwarding', t.uiUrl))).json()) as ForwardingState;
}

/** PUT /api/forwarding from the UI's own origin. */
export function putForwarding(t: TestInspector, body: unknown): Promise<Response> {
  return fetch(new URL('/api/forwarding', t.uiUrl), {
    method: 'PUT', headers: { 'content-type': 'application/json', origin: new URL(t.uiUrl).origin }, body: JSON.stringify(body),
  });
}
