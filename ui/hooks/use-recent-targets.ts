// Recent target URLs shared by every sender form (localStorage, last five).
import { useCallback, useState } from 'preact/hooks';
import { loadRecentTargets, rememberTarget } from '../state/targets.ts';

export function useRecentTargets() {
  const [recent, setRecent] = useState<string[]>(() => loadRecentTargets());
  const remember = useCallback((url: string) => setRecent(rememberTarget(url)), []);
  return { recent, remember };
}
