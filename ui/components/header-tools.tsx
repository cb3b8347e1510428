// Header buttons for the sender's tools: send test events, live forwarding (with its
// health in words: failing with the time left until Soveren's 15-minute mark, or failed)
// and the connector conformance check.
import type { ForwardingState } from '../../server/common/protocol.ts';
import { useEffect, useState } from 'preact/hooks';
import { forwardHeadline } from '../state/forward-health.ts';

interface Props {
  forwarding: ForwardingState | null;
  checkRunning: boolean;
  onSend(): void;
  onForwarding(): void;
  onCheck(): void;
  onOutputs(): void;
  onCoverage(): void;
}

/** Re-render every `ms` while `on`, so a countdown in words stays current between polls. */
function useTick(on: boolean, ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [on, ms]);
  return now;
}

export function HeaderTools(props: Props) {
  const failing = props.forwarding?.targets.some((t) => t.consecutiveFailures > 0) ?? false;
  const fwd = forwardHeadline(props.forwarding, useTick(failing, 5000));
  return (
    <div class="tools" role="group" aria-label="Sender tools">
      <button type="button" class="btn btn--small" onClick={props.onSend} aria-label="Send test events" title="Compose and send Soveren test events">
        Send
      </button>
      <button type="button" class="btn btn--small" onClick={props.onForwarding} title={fwd.title} data-testid="forwarding-button">
        <span class={`dot dot--${fwd.tone}`} aria-hidden="true" />
        Forwarding
        {fwd.words ? <span class={`tools__state tools__state--${fwd.tone}`} data-testid="forwarding-words">{fwd.words}</span> : null}
      </button>
      <button type="button" class="btn btn--small" onClick={props.onCheck} aria-label="Check connector" title="Check a connector against Soveren's contract">
        {props.checkRunning ? <span class="dot dot--run" aria-hidden="true" /> : null}
        Check
      </button>
      <button type="button" class="btn btn--small" onClick={props.onOutputs} title="What the connector wrote into the SIEM sinks" data-testid="outputs-button">
        SIEM outputs
      </button>
      <button type="button" class="btn btn--small" onClick={props.onCoverage} title="Which event types were received, sent, replayed, forwarded and checked" data-testid="coverage-button">
        Coverage
      </button>
    </div>
  );
}
