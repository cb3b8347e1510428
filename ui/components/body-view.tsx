// The body twice: as a JSON tree, and exactly as received (text, or a hex dump when the
// bytes are not UTF-8). Very large bodies show their start and a button for the rest.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { DeliveryDetail } from '../../server/common/protocol.ts';
import { decodeBase64, formatBytes, hexDump } from '../state/format.ts';
import { parseJsonTree, type JsonParseResult } from '../state/json-tree.ts';
import { JsonTree, type CopyFn } from './json-tree.tsx';
import { PayloadText } from './payload-text.tsx';

const TEXT_PREVIEW = 256 * 1024;
const HEX_PREVIEW = 16 * 1024;

type Tab = 'tree' | 'raw';

/** Bodies up to this size are parsed for the tree while the detail renders; larger ones just after it is on screen. */
const PARSE_NOW = 64 * 1024;

/**
 * The body's JSON tree, parsed lazily: a large body is parsed after the detail has painted,
 * so opening a 1 MiB delivery shows its summary at once. `undefined` while that parse is pending.
 */
function useJsonTree(detail: DeliveryDetail): JsonParseResult | null | undefined {
  const text = detail.bodyText;
  const now = text === null || text === '' ? null : text.length <= PARSE_NOW ? parseJsonTreeOnce(text) : undefined;
  const [late, setLate] = useState<{ text: string; result: JsonParseResult } | null>(null);
  useEffect(() => {
    if (now !== undefined || text === null) return;
    const timer = setTimeout(() => setLate({ text, result: parseJsonTree(text) }), 0);
    return () => clearTimeout(timer);
  }, [text]);
  if (now !== undefined) return now;
  return late !== null && late.text === text ? late.result : undefined;
}

const parsedTexts = new Map<string, JsonParseResult>();
/** Small bodies are parsed on every render otherwise; keep the last few. */
function parseJsonTreeOnce(text: string): JsonParseResult {
  let result = parsedTexts.get(text);
  if (result === undefined) {
    result = parseJsonTree(text);
    if (parsedTexts.size >= 8) parsedTexts.delete(parsedTexts.keys().next().value!);
    parsedTexts.set(text, result);
  }
  return result;
}

export function BodyView({ detail, onCopy }: { detail: DeliveryDetail; onCopy?: CopyFn }) {
  const parsed = useJsonTree(detail);
  // A large body is not parsed yet: the server's verdict on it (valid JSON or not) picks the tab.
  const [tab, setTab] = useState<Tab>(parsed === undefined ? (detail.bodyKind === 'json' ? 'tree' : 'raw') : parsed?.ok ? 'tree' : 'raw');
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
        <pre class={`code raw${wrap ? ' raw--wrap' : ''}`} data-testid="raw-body"><PayloadText text={text} /></pre>
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
        {onCopy && detail.size > 0 ? (
          <button
            type="button"
            class="btn btn--small"
            data-testid="copy-body"
            title={detail.bodyText !== null ? 'Copy the body exactly as received' : 'Not text: copies the bytes as base64'}
            onClick={() => (detail.bodyText !== null ? onCopy(detail.bodyText, 'Body') : onCopy(detail.bodyBase64, 'Body (base64)'))}
          >
            Copy body
          </button>
        ) : null}
      </div>
      {tab === 'tree' ? (
        parsed === undefined ? (
          <p class="muted" data-testid="json-tree-pending">Building the tree of {formatBytes(detail.size)}…</p>
        ) : parsed === null ? (
          <p class="muted">{detail.bodyText === null ? 'The body is not text, so there is no JSON to show. See Raw.' : 'Empty body.'}</p>
        ) : parsed.ok ? (
          <div class="code tree" data-testid="json-tree">
            <JsonTree node={parsed.node} onCopy={onCopy} />
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
