// The open delivery's full record, fetched when the selection settles, kept current as
// attempts stream in, and marked gone when it is deleted elsewhere.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Attempt, DeliveryDetail } from '../../server/common/protocol.ts';
import { isAbort, type Api } from '../api.ts';

export interface DetailState {
  detail: DeliveryDetail | null;
  loading: boolean;
  error: string | null;
  addAttempt(deliveryId: number, attempt: Attempt): void;
  markDeleted(ids: number[] | 'all'): void;
}

export function useDetail(api: Api, id: number | null): DetailState {
  const [detail, setDetail] = useState<DeliveryDetail | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const openId = useRef(id);
  openId.current = id;

  useEffect(() => {
    if (id === null) {
      setDetail(null);
      setError(null);
      return;
    }
    const ctrl = new AbortController();
    setLoading(true);
    setError(null);
    // A short pause so holding j/k does not fire a request per row.
    const timer = setTimeout(() => {
      api.delivery(id, ctrl.signal).then(
        (d) => {
          setDetail(d);
          setLoading(false);
        },
        (err: unknown) => {
          if (isAbort(err)) return;
          setDetail(null);
          setLoading(false);
          setError(err instanceof Error ? err.message : String(err));
        },
      );
    }, 60);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [api, id]);

  const addAttempt = useCallback((deliveryId: number, attempt: Attempt) => {
    setDetail((d) =>
      d && d.id === deliveryId && !d.attempts.some((a) => a.id === attempt.id)
        ? { ...d, attempts: [...d.attempts, attempt] }
        : d,
    );
  }, []);

  const markDeleted = useCallback((ids: number[] | 'all') => {
    const open = openId.current;
    if (open !== null && (ids === 'all' || ids.includes(open))) {
      setDetail(null);
      setError(`Delivery #${open} was deleted.`);
    }
  }, []);

  return { detail: detail && detail.id === id ? detail : null, loading, error, addAttempt, markDeleted };
}
