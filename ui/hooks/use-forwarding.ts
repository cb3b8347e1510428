// Live forwarding's state from GET /api/forwarding: polled slowly for the header
// indicator, every two seconds while the dialog is open; changes go through PUT.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ForwardingState } from '../../server/common/protocol.ts';
import type { ForwardingUpdate } from '../../server/common/contract/client-type.ts';
import type { Api } from '../api.ts';

export interface Forwarding {
  state: ForwardingState | null;
  error: string | null;
  update(patch: ForwardingUpdate): Promise<void>;
  refresh(): void;
}

export function useForwarding(api: Api, intervalMs: number): Forwarding {
  const [state, setState] = useState<ForwardingState | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    api.forwarding().then(
      (s) => {
        setState(s);
        setError(null);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [api]);

  // With targets, the header's words ("failing · 12 min left") should not lag by a slow poll.
  const every = state !== null && state.targets.length > 0 ? Math.min(intervalMs, 5000) : intervalMs;
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, every);
    return () => clearInterval(timer);
  }, [refresh, every]);

  const update = useCallback(
    async (patch: ForwardingUpdate) => {
      setState(await api.updateForwarding(patch));
      setError(null);
    },
    [api],
  );

  return { state, error, update, refresh };
}
