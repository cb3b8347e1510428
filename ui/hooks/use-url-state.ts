// The query and the open delivery, mirrored in the address bar: a new query pushes a
// history entry (back/forward restore it), opening a delivery replaces the current one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { buildUrl, readUrlState, type UrlState } from '../state/url.ts';
import { normalizeQuery } from '../state/query.ts';

export interface UrlStateApi extends UrlState {
  setQuery(q: string, mode?: 'push' | 'replace'): void;
  setOpenId(id: number | null): void;
}

export function useUrlState(): UrlStateApi {
  const [state, setState] = useState<UrlState>(() => readUrlState(location.search));
  const current = useRef(state);
  current.current = state;

  useEffect(() => {
    const onPop = () => setState(readUrlState(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const update = useCallback((next: UrlState, mode: 'push' | 'replace') => {
    const prev = current.current;
    if (prev.q === next.q && prev.id === next.id) return;
    const url = buildUrl(next, location.pathname);
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    current.current = next;
    setState(next);
  }, []);

  const setQuery = useCallback(
    (q: string, mode: 'push' | 'replace' = 'push') => update({ ...current.current, q: normalizeQuery(q) }, mode),
    [update],
  );
  const setOpenId = useCallback((id: number | null) => update({ ...current.current, id }, 'replace'), [update]);

  return { ...state, setQuery, setOpenId };
}
