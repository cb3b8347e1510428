// What the receiver answers accepted deliveries with (status and delay), to test how a
// sender copes with errors and slow answers. Edited in a small popover.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReceiverResponseSetting } from '../../server/common/protocol.ts';
import type { Api } from '../api.ts';

interface Props {
  api: Api;
  setting: ReceiverResponseSetting;
  onSaved(): void;
}

export function ResponseSetting({ api, setting, onSaved }: Props) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState(String(setting.status));
  const [delay, setDelay] = useState(String(setting.delayMs));
  const [error, setError] = useState<string | null>(null);
  const changed = setting.status !== 200 || setting.delayMs !== 0;
  const anchor = useRef<HTMLDivElement>(null);

  // Close on a click elsewhere or on Esc.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!anchor.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const save = async (next: ReceiverResponseSetting) => {
    try {
      await api.setResponse(next);
      setError(null);
      setOpen(false);
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div class="popover-anchor" ref={anchor}>
      <button
        type="button"
        class={`btn btn--small${changed ? ' btn--warn' : ''}`}
        title="What the receiver answers accepted deliveries with"
        onClick={() => {
          setStatus(String(setting.status));
          setDelay(String(setting.delayMs));
          setOpen(!open);
        }}
      >
        Answers {setting.status}
        {setting.delayMs > 0 ? ` after ${setting.delayMs} ms` : ''}
      </button>
      {open ? (
        <form
          class="popover"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ status: Number(status), delayMs: Number(delay) });
          }}
        >
          <p class="popover__title">Simulated receiver answer</p>
          <p class="muted">For accepted deliveries. A failed signature is still answered 401 when a token is set.</p>
          <label>
            Status
            <input type="number" min={100} max={599} value={status} onInput={(e) => setStatus(e.currentTarget.value)} />
          </label>
          <label>
            Delay (ms)
            <input type="number" min={0} max={60000} step={100} value={delay} onInput={(e) => setDelay(e.currentTarget.value)} />
          </label>
          {error ? <p class="notice notice--error">{error}</p> : null}
          <div class="popover__actions">
            <button type="button" class="btn btn--small" onClick={() => void save({ status: 200, delayMs: 0 })}>
              Reset to 200
            </button>
            <span class="spacer" />
            <button type="button" class="btn btn--small" onClick={() => setOpen(false)}>Cancel</button>
            <button type="submit" class="btn btn--small btn--primary">Save</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
