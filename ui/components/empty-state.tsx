// What the list shows when there is nothing to show: how to get a first delivery in, or
// that the filter matches nothing.
import type { Health } from '../../server/common/protocol.ts';

const SAMPLE_BODY = '{"title":"Hello","category":"Other","event_type":"discovery_complete","sensitivity":"Low"}';

export function curlExample(receiverUrl: string): string {
  return (
    `curl -X POST ${receiverUrl} -H 'Content-Type: application/json' ` +
    `-H 'User-Agent: SoverenWebhook/1.0' -d '${SAMPLE_BODY}'`
  );
}

export function sendExample(receiverUrl: string, tokenCount: number): string {
  return `npx soveren-inspector send --to ${receiverUrl}${tokenCount > 0 ? ' --token <your token>' : ''} --all`;
}

interface EmptyProps {
  health: Health | null;
  onCopy(text: string, what: string): void;
}

function CopyLine({ text, what, onCopy }: { text: string; what: string; onCopy: EmptyProps['onCopy'] }) {
  return (
    <div class="copyline">
      <pre class="code copyline__text">{text}</pre>
      <button type="button" class="btn btn--small" onClick={() => onCopy(text, what)}>
        Copy
      </button>
    </div>
  );
}

export function FirstDeliveryHelp({ health, onCopy }: EmptyProps) {
  const url = health?.receiverUrl ?? 'http://127.0.0.1:4781/';
  return (
    <div class="empty" data-testid="empty-state" data-query="">
      <h2>Waiting for the first delivery</h2>
      <p>
        Point a Soveren webhook at the receiver (<code>{url}</code>, through a tunnel if Soveren must reach it), or
        send one from a terminal. It appears here the moment it arrives.
      </p>
      <h3>One request with curl</h3>
      <CopyLine text={curlExample(url)} what="curl command" onCopy={onCopy} />
      <h3>Every documented event type, signed, with the built-in sender</h3>
      <CopyLine text={sendExample(url, health?.tokenCount ?? 0)} what="send command" onCopy={onCopy} />
      {health && health.tokenCount > 0 ? (
        <p class="muted">
          A token is configured, so the unsigned curl request is recorded with signature “missing” and answered 401.
        </p>
      ) : (
        <p class="muted">No token is configured: signatures are recorded as “unchecked”. Start with --token to verify them.</p>
      )}
    </div>
  );
}

/** `q` is the query whose (empty) answer this is, not the one being typed. */
export function NoMatches({ q, onClear }: { q: string; onClear(): void }) {
  return (
    <div class="empty empty--small" data-testid="no-matches" data-query={q}>
      <h2>No deliveries match</h2>
      <p>
        <code>{q}</code>
      </p>
      <button type="button" class="btn" onClick={onClear}>
        Clear the filter
      </button>
    </div>
  );
}
