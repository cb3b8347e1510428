// Top bar: receiver URL to copy, connection state, pause, counts with the retention
// limit spelled out, the simulated receiver answer, and the keys help.
import type { Health } from '../../server/common/protocol.ts';
import type { ConnectionStatus } from '../connection.ts';
import { formatCount } from '../state/format.ts';
import { ResponseSetting } from './response-setting.tsx';
import type { Api } from '../api.ts';
import type { ComponentChildren } from 'preact';

interface HeaderProps {
  api: Api;
  health: Health | null;
  status: ConnectionStatus;
  offline: boolean;
  paused: boolean;
  pendingCount: number;
  search: ComponentChildren;
  tools: ComponentChildren;
  onTogglePause(): void;
  onCopy(text: string, what: string): void;
  onHelp(): void;
  onHealthChange(): void;
}

function CopyIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true">
      <rect x="5" y="5" width="8.5" height="8.5" rx="1.5" />
      <path d="M10.5 5V3.5A1.5 1.5 0 0 0 9 2H3.5A1.5 1.5 0 0 0 2 3.5V9a1.5 1.5 0 0 0 1.5 1.5H5" />
    </svg>
  );
}

function LiveIndicator({ status, paused, offline, pendingCount }: Pick<HeaderProps, 'status' | 'paused' | 'offline' | 'pendingCount'>) {
  let tone = 'connecting';
  let label = 'Connecting…';
  if (offline) {
    tone = 'down';
    label = 'Server unreachable, retrying';
  } else if (paused) {
    tone = 'paused';
    label = pendingCount > 0 ? `Paused · ${formatCount(pendingCount)} new` : 'Paused';
  } else if (status === 'live') {
    tone = 'live';
    label = 'Live';
  } else if (status === 'reconnecting') {
    tone = 'reconnecting';
    label = 'Reconnecting…';
  }
  return (
    <span class={`live live--${tone}`} role="status" data-status={tone}>
      <span class="live__dot" />
      {label}
    </span>
  );
}

export function HeaderBar(props: HeaderProps) {
  const { health } = props;
  return (
    <header class="topbar">
      <div class="brand">
        <span class="brand__mark" aria-hidden="true" />
        <span class="brand__name">Soveren Inspector</span>
      </div>
      <div class="receiver">
        <span class="receiver__label">Receiver</span>
        <code class="receiver__url" data-testid="receiver-url">{health?.receiverUrl ?? '…'}</code>
        <button
          type="button"
          class="icon-btn"
          title="Copy receiver URL"
          aria-label="Copy receiver URL"
          disabled={!health}
          onClick={() => health && props.onCopy(health.receiverUrl, 'Receiver URL')}
        >
          <CopyIcon />
        </button>
      </div>
      <div class="topbar__search">{props.search}</div>
      <div class="topbar__right">
        {props.tools}
        <LiveIndicator status={props.status} paused={props.paused} offline={props.offline} pendingCount={props.pendingCount} />
        <button type="button" class="btn btn--small" onClick={props.onTogglePause} aria-pressed={props.paused}>
          {props.paused ? 'Resume' : 'Pause'}
        </button>
        {health ? (
          <span class="counts" data-testid="counts" title="Retention: the oldest deliveries are deleted past the limit">
            <span><strong>{formatCount(health.deliveries)}</strong> stored</span>
            <span class="counts__sub">
              {health.maxDeliveries > 0 ? <>keeps newest {formatCount(health.maxDeliveries)}</> : <>no limit</>} ·{' '}
              {formatCount(health.pruned)} pruned
            </span>
          </span>
        ) : null}
        {health ? <ResponseSetting api={props.api} setting={health.response} onSaved={props.onHealthChange} /> : null}
        <button type="button" class="icon-btn" aria-label="Keyboard shortcuts (?)" title="Keyboard shortcuts (?)" onClick={props.onHelp}>
          ?
        </button>
      </div>
    </header>
  );
}
