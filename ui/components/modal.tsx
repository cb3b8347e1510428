// A modal dialog: dims the page, closes on Esc (only the topmost one) or a click outside,
// keeps Tab inside itself, and gives focus back to where it was when it closes.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

export type ModalSize = 'normal' | 'wide' | 'xl';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ComponentChildren;
  size?: ModalSize;
  /** Extra content beside the title (a status badge). */
  titleExtra?: ComponentChildren;
  testId?: string;
}

const stack: symbol[] = [];
const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Modal(props: ModalProps) {
  const box = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  // A layout effect: Esc, the focus trap and the first field's focus are in place before the
  // dialog is painted (an effect waits for a frame, and an Esc pressed meanwhile was lost).
  useLayoutEffect(() => {
    const me = Symbol('modal');
    stack.push(me);
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Focus the first field unless a child already took focus.
    if (box.current && !box.current.contains(document.activeElement)) {
      const first = box.current.querySelector<HTMLElement>('[data-autofocus]') ?? box.current.querySelector<HTMLElement>(FOCUSABLE);
      first?.focus();
    }
    const onKey = (e: KeyboardEvent) => {
      if (stack[stack.length - 1] !== me) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onClose.current();
      } else if (e.key === 'Tab' && box.current) {
        const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
        if (items.length === 0) return;
        const first = items[0]!;
        const last = items[items.length - 1]!;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (document.activeElement === last || !box.current.contains(document.activeElement))) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      stack.splice(stack.indexOf(me), 1);
      if (before && document.contains(before)) before.focus();
    };
  }, []);

  const size = props.size ?? 'normal';
  return (
    <div class="overlay" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        class={`modal${size === 'normal' ? '' : ` modal--${size}`}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        ref={box}
        data-testid={props.testId}
      >
        <div class="modal__head">
          <h2 class="modal__title">{props.title}</h2>
          {props.titleExtra}
          <span class="spacer" />
          <button type="button" class="icon-btn" aria-label="Close (Esc)" title="Close (Esc)" onClick={props.onClose}>
            ×
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}

/** True while any modal is open (global shortcuts stand aside). */
export function isModalOpen(): boolean {
  return stack.length > 0;
}
