// Global shortcuts (see state/keys.ts), bound once to the document.
import { useEffect, useRef } from 'preact/hooks';
import { isEditable, keyAction, type KeyAction } from '../state/keys.ts';

export function useKeyboard(handle: (action: KeyAction, event: KeyboardEvent) => boolean | void): void {
  const handler = useRef(handle);
  handler.current = handle;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = keyAction({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        editing: isEditable(event.target),
      });
      if (action === null) return;
      // Enter on a focused button or link keeps its own meaning.
      if (action === 'open' && event.target instanceof HTMLElement && event.target.closest('button, a')) return;
      if (handler.current(action, event) !== false) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
