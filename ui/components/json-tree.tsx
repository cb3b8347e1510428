// Collapsible view of a parsed JSON body. Keys and values are text nodes only. Large
// containers show their first children and a "show more" button, so a 1 MiB array
// renders in bounded time. Each row can copy its value or its jq path (shown on hover/focus).
import { useMemo, useState } from 'preact/hooks';
import { describeContainer, duplicateKeys, initiallyOpen, type JsonNode } from '../state/json-tree.ts';
import { PayloadText } from './payload-text.tsx';
import { copyableValue, formatJsonPath, type PathStep } from '../state/json-copy.ts';

/** Copies text; `what` names it for the confirmation ("Value of .a copied"). */
export type CopyFn = (text: string, what: string) => void;

function RowActions({ node, path, onCopy }: { node: JsonNode; path: PathStep[]; onCopy?: CopyFn }) {
  if (!onCopy) return null;
  const where = formatJsonPath(path);
  return (
    <span class="jt-actions">
      <button type="button" class="jt-copy" aria-label={`Copy value of ${where}`} title={`Copy the value of ${where}`} onClick={() => onCopy(copyableValue(node), `Value of ${where}`)}>
        copy
      </button>
      <button type="button" class="jt-copy" aria-label={`Copy path ${where}`} title={`Copy the path ${where} (jq syntax)`} onClick={() => onCopy(where, `Path ${where}`)}>
        path
      </button>
    </span>
  );
}

const PAGE = 100;

function Scalar({ node }: { node: JsonNode }) {
  switch (node.kind) {
    case 'string':
      return <PayloadText class="jt-string" text={JSON.stringify(node.value)} />;
    case 'number':
      return <span class="jt-number">{node.raw}</span>;
    case 'boolean':
      return <span class="jt-bool">{String(node.value)}</span>;
    case 'null':
      return <span class="jt-null">null</span>;
    default:
      return null;
  }
}

interface EntryProps {
  label: string | null;
  index?: number;
  node: JsonNode;
  openSet: WeakSet<JsonNode>;
  duplicate?: boolean;
  path: PathStep[];
  onCopy?: CopyFn;
}

function Entry(props: EntryProps) {
  const { label, node, openSet } = props;
  const container = node.kind === 'object' || node.kind === 'array';
  const [open, setOpen] = useState(() => openSet.has(node));
  const [limit, setLimit] = useState(PAGE);
  const key =
    label !== null ? (
      <span class={`jt-key${props.duplicate ? ' jt-key--dup' : ''}`} title={props.duplicate ? 'this key appears more than once' : undefined}>
        <PayloadText text={JSON.stringify(label)} />
        <span class="jt-punct">: </span>
      </span>
    ) : props.index !== undefined ? (
      <span class="jt-index">{props.index}<span class="jt-punct">: </span></span>
    ) : null;

  if (!container) {
    return (
      <li class="jt-row">
        <span class="jt-line">
          <span class="jt-toggle jt-toggle--leaf" />
          {key}
          <Scalar node={node} />
          <RowActions node={node} path={props.path} onCopy={props.onCopy} />
        </span>
      </li>
    );
  }
  // Only the rows shown are built: a container can hold 100k children.
  const total = node.kind === 'object' ? node.entries.length : node.items.length;
  const children =
    node.kind === 'object'
      ? node.entries.slice(0, limit).map((e) => ({ label: e.key as string | null, node: e.value }))
      : node.items.slice(0, limit).map((n) => ({ label: null, node: n }));
  const dups = useMemo(() => new Set(duplicateKeys(node)), [node]);
  return (
    <li class="jt-row">
      <span class="jt-line">
        <button type="button" class="jt-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class={`chevron${open ? ' chevron--open' : ''}`} />
        </button>
        {key}
        {open ? (
          <span class="jt-punct">{node.kind === 'object' ? '{' : '['}</span>
        ) : (
          <button type="button" class="jt-summary" onClick={() => setOpen(true)}>
            {describeContainer(node)}
          </button>
        )}
        <RowActions node={node} path={props.path} onCopy={props.onCopy} />
      </span>
      {open ? (
        <>
          <ul class="jt-children">
            {children.map((c, i) => (
              <Entry
                key={i}
                label={c.label}
                index={node.kind === 'array' ? i : undefined}
                node={c.node}
                openSet={openSet}
                duplicate={c.label !== null && dups.has(c.label)}
                path={[...props.path, c.label ?? i]}
                onCopy={props.onCopy}
              />
            ))}
            {total > limit ? (
              <li class="jt-row">
                <button type="button" class="link-button" onClick={() => setLimit(limit + PAGE * 10)}>
                  show more ({total - limit} left)
                </button>
              </li>
            ) : null}
          </ul>
          <span class="jt-punct jt-close">{node.kind === 'object' ? '}' : ']'}</span>
        </>
      ) : null}
    </li>
  );
}

export function JsonTree({ node, onCopy }: { node: JsonNode; onCopy?: CopyFn }) {
  const openSet = useMemo(() => initiallyOpen(node, 400, PAGE), [node]);
  return (
    <ul class="jt">
      <Entry label={null} node={node} openSet={openSet} path={[]} onCopy={onCopy} />
    </ul>
  );
}
