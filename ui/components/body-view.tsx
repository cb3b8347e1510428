// The body twice: as a JSON tree, and exactly as received (text, or a hex dump when the
// bytes are not UTF-8). Very large bodies show their start and a button for the rest.
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { DeliveryDetail } from '../../server/shared/protocol.ts';
import { decodeBase64, formatBytes, hexDump } from '../state/format.ts';
import { parseJsonTree } from '../state/json-tree.ts';
import { JsonTree } from './json-tree.tsx';

const TEXT_PREVIEW = 256 * 1024;
const HEX_PREVIEW = 16 * 1024;

type Tab = 'tree' | 'raw';

export function BodyView({ detail }: { detail: DeliveryDetail }) {
  const parsed = useMemo(() => (detail.bodyText !== null && detail.bodyText !== '' ? parseJsonTree(detail.bodyText) : null), [detail]);
  const [tab, setTab] = useState<Tab>(parsed?.ok ? 'tree' : 'raw');
  const [full, setFull] = useState(false);
  const [wrap, setWrap] = useState(true);
  const bytes = useMemo(() => (detail.bodyText === null ? decodeBase64(detail.bodyBase64) : null), [detail]);

  let raw: JSX.Element;
  if (detail.size === 0 && detail.bodyBase64 === '') {
    raw = <p class="muted">Empty body.</p>;
  } else if (detail.bodyText !== null) {
    const text = full ? detail.bodyText : detail.bodyText.slice(0, TEXT_PREVIEW);
    raw = (
      <>
        <pre class={`code raw${wrap ? ' raw--wrap' : ''}`} data-testid="raw-body">{text}</pre>
        {text.length < detail.bodyText.length ? (
          <button type="button" class="link-button" onClick={() => setFull(true)}>
            Show all {formatBytes(detail.size)}
          </button>
        ) : null}
      </>
    );
  } else {
    const limit = full ? bytes!.length : HEX_PREVIEW;
    raw = (
      <>
        <p class="muted">Not valid UTF-8: shown as a hex dump.</p>
        <pre class="code raw" data-testid="raw-body">{hexDump(bytes!, limit)}</pre>
        {bytes!.length > limit ? (
          <button type="button" class="link-button" onClick={() => setFull(true)}>
            Show all {formatBytes(bytes!.length)}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <div class="body-view">
      <div class="tabs" role="tablist">
        <button type="button" role="tab" class="tab" aria-selected={tab === 'tree'} onClick={() => setTab('tree')}>
          JSON tree
        </button>
        <button type="button" role="tab" class="tab" aria-selected={tab === 'raw'} onClick={() => setTab('raw')}>
          Raw
        </button>
        <span class="tabs__meta">
          {detail.contentType ?? 'no content-type'} · {formatBytes(detail.size)} · {detail.bodyKind}
        </span>
        {tab === 'raw' && detail.bodyText !== null ? (
          <label class="tabs__opt">
            <input type="checkbox" checked={wrap} onChange={() => setWrap(!wrap)} /> wrap
          </label>
        ) : null}
      </div>
      {tab === 'tree' ? (
        parsed === null ? (
          <p class="muted">{detail.bodyText === null ? 'The body is not text, so there is no JSON to show. See Raw.' : 'Empty body.'}</p>
        ) : parsed.ok ? (
          <div class="code tree" data-testid="json-tree">
            <JsonTree node={parsed.node} />
          </div>
        ) : (
          <p class="notice notice--warn">
            Not valid JSON: {parsed.error} at character {parsed.offset}. The Raw tab shows the body exactly as received.
          </p>
        )
      ) : (
        raw
      )}
      <p class="body-view__sha">
        SHA-256 <code>{detail.bodySha256}</code>
      </p>
    </div>
  );
}
