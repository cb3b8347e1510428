// Header buttons for the sender's tools: send test events, live forwarding (with its
// health at a glance) and the connector conformance check.
import type { ForwardingState } from '../../server/shared/protocol.ts';
import { overallTone } from '../state/forward-health.ts';
import { countOf } from '../state/format.ts';

interface Props {
  forwarding: ForwardingState | null;
  checkRunning: boolean;
  onSend(): void;
  onForwarding(): void;
  onCheck(): void;
  onOutputs(): void;
  onCoverage(): void;
}

function forwardSummary(f: ForwardingState | null): { tone: string; title: string } {
  if (!f) return { tone: 'idle', title: 'Live forwarding' };
  if (f.targets.length === 0) return { tone: 'idle', title: 'Live forwarding: no targets' };
  if (!f.enabled) return { tone: 'off', title: 'Live forwarding is off' };
  const tone = overallTone(f.targets, f.failAfterMs);
  const failing = f.targets.filter((t) => t.failing).length;
  return { tone, title: failing ? `${countOf(failing, 'forward target')} failing` : `Forwarding to ${countOf(f.targets.length, 'target')}` };
}

export function HeaderTools(props: Props) {
  const fwd = forwardSummary(props.forwarding);
  return (
    <div class="tools" role="group" aria-label="Sender tools">
      <button type="button" class="btn btn--small" onClick={props.onSend} aria-label="Send test events" title="Compose and send Soveren test events">
        Send
      </button>
      <button type="button" class="btn btn--small" onClick={props.onForwarding} title={fwd.title} data-testid="forwarding-button">
        <span class={`dot dot--${fwd.tone}`} aria-hidden="true" />
        Forwarding
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
