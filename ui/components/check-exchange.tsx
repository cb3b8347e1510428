// A failed or noted scenario opened up: the request the check sent (headers and body), the
// connector's answer (status, headers, the first 4 KiB of its body) and the request as a curl
// command to copy. Everything here came from the network or was sent to it: shown as text.
import { useState } from 'preact/hooks';
import type { CheckExchange } from '../../server/common/protocol.ts';
import { copyText } from '../clipboard.ts';
import { formatBytes } from '../state/format.ts';
import { HeaderTable } from './header-table.tsx';
import { PayloadText } from './payload-text.tsx';

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button type="button" class="btn btn--small" data-testid={testId} onClick={() => {
      void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'));
    }}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text' : label}
    </button>
  );
}

export function CheckExchangeView({ exchange: x }: { exchange: CheckExchange }) {
  const req = x.request;
  return (
    <div class="exchange" data-testid="check-exchange">
      <section class="exchange__part" aria-label="Request">
        <h4 class="exchange__title">Request</h4>
        <p class="exchange__line"><code><PayloadText text={`${req.method} ${req.url}`} /></code></p>
        <HeaderTable headers={req.headers} testId="exchange-request-headers" />
        <pre class="exchange__body" data-testid="exchange-request-body">{req.body === '' ? '(empty body)' : req.body}</pre>
        {req.bodyTruncated ? <p class="muted small">First {formatBytes(req.body.length)} of {formatBytes(req.bodyBytes)} shown.</p> : null}
      </section>
      <section class="exchange__part" aria-label="Response">
        <h4 class="exchange__title">Response</h4>
        {x.response ? (
          <>
            <p class="exchange__line" data-testid="exchange-status">Status <strong>{x.response.status}</strong></p>
            <HeaderTable headers={x.response.headers} testId="exchange-response-headers" />
            <pre class="exchange__body" data-testid="exchange-response-body">{x.response.body === '' ? '(empty body)' : x.response.body}</pre>
            <p class="muted small">At most the first 4 KiB of the body are kept.</p>
          </>
        ) : (
          <p class="exchange__line" data-testid="exchange-status">No answer: <PayloadText text={x.error ?? 'unknown error'} /></p>
        )}
      </section>
      <div class="exchange__actions">
        {x.curl !== null ? (
          <CopyButton text={x.curl} label="Copy as cURL" testId="copy-curl" />
        ) : (
          <span class="muted small">No cURL: the body ({formatBytes(req.bodyBytes)}) is too large to keep.</span>
        )}
      </div>
    </div>
  );
}
