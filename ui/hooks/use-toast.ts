// A short-lived status message at the bottom of the page ("Copied", "Deleted #5").
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export function useToast(durationMs = 2500) {
  const [text, setText] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const show = useCallback(
    (message: string) => {
      if (timer.current !== null) clearTimeout(timer.current);
      setText(message);
      timer.current = setTimeout(() => setText(null), durationMs);
    },
    [durationMs],
  );
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);
  return { text, show };
}
