// Modal overlays: a confirm dialog for destructive actions, the keys help, and a text
// box fallback for when the clipboard is not available.
import { useEffect, useRef } from 'preact/hooks';
import { KEY_HELP } from '../state/keys.ts';
import { Modal } from './modal.tsx';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  run(): Promise<void> | void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose(): void }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  return (
    <Modal title={request.title} onClose={onClose}>
      <p>{request.message}</p>
      <div class="modal__actions">
        <button type="button" class="btn" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class="btn btn--danger-solid"
          ref={confirm}
          data-testid="confirm"
          onClick={() => {
            onClose();
            void request.run();
          }}
        >
          {request.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

export function KeysHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table class="keys">
        <tbody>
          {KEY_HELP.map(([keys, what]) => (
            <tr key={keys}>
              <th>
                {keys.split(/\s{2,}/).map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Search syntax</h3>
      <p class="muted">
        <code>category:data_at_risk</code> <code>event_type:policy_violation</code> <code>sensitivity:High</code>{' '}
        <code>sig:invalid</code> <code>ua:mismatch</code> <code>path:/hooks</code> — quote values with spaces (
        <code>category:"Data at risk"</code>), prefix <code>-</code> to exclude, other words search title and body.
      </p>
      <div class="modal__actions">
        <button type="button" class="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

export function TextDialog({ title, text, onClose }: { title: string; text: string; onClose(): void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.select(), []);
  return (
    <Modal title={title} onClose={onClose} size="wide">
      <p class="muted">The clipboard is not available here; select and copy the text yourself.</p>
      <textarea class="code textdialog" ref={area} readOnly value={text} rows={8} />
      <div class="modal__actions">
        <button type="button" class="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
