// Everything the list shows for one query: the first page from the API, older pages on
// demand, then the live stream resuming after the newest loaded id (and SIEM outputs after
// the newest output id, so a reconnect misses none and repeats none). Live arrivals are
// batched per animation frame and counted into the header total, facets and chart in that
// same frame; the server's own figures replace those once a burst settles.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Attempt, DeliverySummary, Facets, Health, Histogram, JobStatus, StreamMessage } from '../../server/common/protocol.ts';
import { ApiRequestError, isAbort, type Api } from '../api.ts';
import { createConnection, type Connection, type ConnectionStatus } from '../connection.ts';
import { addLive, appendPage, applyAttempt, EMPTY_LIST, listFromPage, newestId, removeIds, trimList, type ListState } from '../state/list.ts';
import { createSettle, type Throttled } from '../state/throttle.ts';
import { addToFacets, addToHealth, addToHistogram } from '../state/live-counts.ts';

const FIRST_PAGE = 100;
const NEXT_PAGE = 300;
/** Past this many loaded rows, live arrivals trim the tail while the user is near the top. */
const MAX_LOADED = 5000;
const MAX_PENDING = 10_000;

export interface FeedEvents {
  onAttempt?(deliveryId: number, attempt: Attempt): void;
  onDeleted?(ids: number[] | 'all'): void;
  /** Progress of a bulk job (any job: the listener picks its own). */
  onJob?(job: JobStatus): void;
  /** A conformance check run started, finished, or produced a result. */
  onCheck?(message: Extract<StreamMessage, { type: 'check' | 'check-run' }>): void;
  /** A SIEM output the sinks committed, or outputs deleted. */
  onOutput?(message: Extract<StreamMessage, { type: 'output' | 'outputs-deleted' }>): void;
}

export interface Feed {
  list: ListState;
  /** The query the list currently shows (null before the first page arrives). */
  loadedQuery: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  status: ConnectionStatus;
  paused: boolean;
  pendingCount: number;
  facets: Facets | null;
  histogram: Histogram | null;
  health: Health | null;
  loadMore(): void;
  setPaused(paused: boolean): void;
  /** Refetch everything for the current query (after deletes, or on demand). */
  reload(): void;
  /** The list reports where it is scrolled so live arrivals can bound memory. */
  noteFirstVisible(index: number): void;
  /** Drop rows this page deleted itself (the stream's `deleted` may follow). */
  removeLocal(ids: number[]): void;
}

export function useDeliveryFeed(api: Api, q: string, events: FeedEvents): Feed {
  const [list, setList] = useState<ListState>(EMPTY_LIST);
  const [loadedQuery, setLoadedQuery] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [paused, setPausedState] = useState(false);
  const [pendingCount, setPendingCount] = useState(0);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [histogram, setHistogram] = useState<Histogram | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [reloadToken, setReloadToken] = useState(0);

  const eventsRef = useRef(events);
  eventsRef.current = events;
  const qRef = useRef(q);
  qRef.current = q;
  const listRef = useRef(list);
  listRef.current = list;
  const pausedRef = useRef(false);
  const pending = useRef<DeliverySummary[]>([]);
  const overflowed = useRef(false);
  const incoming = useRef<DeliverySummary[]>([]);
  const frame = useRef<number | null>(null);
  const firstVisible = useRef(0);
  const generation = useRef(0);
  const moreAbort = useRef<AbortController | null>(null);
  // Newest SIEM output id seen: every (re)connection resumes outputs after it. Null until known.
  const outputsCursor = useRef<number | null>(null);

  const refreshHealth = useCallback(() => {
    api.health().then(setHealth, () => undefined);
  }, [api]);

  const aggregatesAbort = useRef<AbortController | null>(null);
  const refreshAggregates = useCallback(() => {
    aggregatesAbort.current?.abort();
    const ctrl = new AbortController();
    aggregatesAbort.current = ctrl;
    const query = qRef.current;
    api.facets(query, ctrl.signal).then((f) => qRef.current === query && setFacets(f), () => undefined);
    api.histogram(query, ctrl.signal).then((h) => qRef.current === query && setHistogram(h), () => undefined);
    refreshHealth();
  }, [api, refreshHealth]);

  const refreshAggregatesRef = useRef(refreshAggregates);
  refreshAggregatesRef.current = refreshAggregates;
  const throttled = useRef<Throttled | null>(null);
  throttled.current ??= createSettle(() => refreshAggregatesRef.current(), 500, 3000);
  useEffect(() => () => throttled.current?.cancel(), []);
  const refreshSoon = useCallback(() => throttled.current?.(), []);

  /** Newest id counted into the figures shown: a delivery is counted once, however it comes. */
  const countedThrough = useRef(0);
  const countLocally = useCallback((batch: readonly DeliverySummary[]) => {
    const fresh = batch.filter((d) => d.id > countedThrough.current);
    if (fresh.length === 0) return;
    countedThrough.current = Math.max(countedThrough.current, ...fresh.map((d) => d.id));
    setFacets((f) => (f ? addToFacets(f, fresh) : f));
    setHistogram((h) => (h ? addToHistogram(h, fresh) : h));
    setHealth((h) => (h ? addToHealth(h, fresh) : h));
  }, []);

  const flushIncoming = useCallback(() => {
    frame.current = null;
    const batch = incoming.current;
    incoming.current = [];
    if (batch.length === 0) return;
    countLocally(batch);
    setList((prev) => {
      const next = addLive(prev, batch);
      return next.items.length > MAX_LOADED && firstVisible.current < MAX_LOADED / 2
        ? trimList(next, MAX_LOADED / 2)
        : next;
    });
  }, [countLocally]);

  const receive = useCallback(
    (delivery: DeliverySummary) => {
      if (pausedRef.current) {
        if (pending.current.length >= MAX_PENDING) overflowed.current = true;
        else pending.current.push(delivery);
        setPendingCount(pending.current.length);
      } else {
        incoming.current.push(delivery);
        if (frame.current === null) frame.current = requestAnimationFrame(flushIncoming);
      }
      refreshSoon();
    },
    [flushIncoming, refreshSoon],
  );

  // One query (or reload): first page, aggregates, then the stream from the newest id.
  useEffect(() => {
    const gen = ++generation.current;
    const ctrl = new AbortController();
    let connection: Connection | null = null;
    setLoading(true);
    moreAbort.current?.abort();
    setLoadingMore(false);
    pending.current = [];
    overflowed.current = false;
    incoming.current = [];
    setPendingCount(0);

    // Where outputs resume: the cursor kept from earlier connections, else the newest output
    // stored now (0: none yet). Unknown (the request failed): live outputs only until one arrives.
    const outputsSince: Promise<number | null> = outputsCursor.current !== null
      ? Promise.resolve(outputsCursor.current)
      : api.outputs({ q: '', limit: 1 }, ctrl.signal).then((p) => p.items[0]?.id ?? 0, () => null);
    // The list first: the server answers one request at a time, and counts and the chart
    // over a large store take longer than a page of rows.
    Promise.all([api.deliveries({ q, limit: FIRST_PAGE }, ctrl.signal), outputsSince]).then(
      ([page, outputsFrom]) => {
        if (gen !== generation.current) return;
        const loaded = listFromPage(page);
        countedThrough.current = newestId(loaded);
        setList(loaded);
        setLoadedQuery(q);
        setLoading(false);
        setError(null);
        refreshAggregates();
        if (outputsFrom !== null) outputsCursor.current = Math.max(outputsCursor.current ?? 0, outputsFrom);
        connection = createConnection({
          q,
          since: newestId(loaded),
          ...(outputsCursor.current !== null && { outputsSince: outputsCursor.current }),
          onStatus: (s) => gen === generation.current && setStatus(s),
          onMessage: (message) => {
            if (gen !== generation.current) return;
            switch (message.type) {
              case 'delivery':
                receive(message.delivery);
                break;
              case 'deleted':
                setList((prev) => removeIds(prev, message.ids));
                eventsRef.current.onDeleted?.(message.ids);
                refreshSoon();
                break;
              case 'attempt':
                setList((prev) => applyAttempt(prev, message.deliveryId, message.attempt));
                eventsRef.current.onAttempt?.(message.deliveryId, message.attempt);
                break;
              case 'job':
                eventsRef.current.onJob?.(message.job);
                break;
              case 'check':
              case 'check-run':
                eventsRef.current.onCheck?.(message);
                break;
              case 'output':
                outputsCursor.current = Math.max(outputsCursor.current ?? 0, message.output.id);
                eventsRef.current.onOutput?.(message);
                break;
              case 'outputs-deleted':
                eventsRef.current.onOutput?.(message);
                break;
              case 'resync':
                // Start over for outputs too (the store may have been replaced, or this page fell
                // too far behind): the cursor is learnt again, with no backlog to flood the page.
                outputsCursor.current = null;
                setReloadToken((n) => n + 1);
                break;
              case 'hello':
                refreshSoon();
                break;
              default:
                break;
            }
          },
        });
      },
      (err: unknown) => {
        if (isAbort(err) || gen !== generation.current) return;
        setLoading(false);
        setError(err instanceof Error ? err.message : String(err));
        // Unreachable or failing server (restarting, say): try again shortly. A 4xx is
        // about the request itself (a query too long); retrying would not change it.
        if (!(err instanceof ApiRequestError && err.status < 500)) {
          setTimeout(() => gen === generation.current && setReloadToken((n) => n + 1), 2000);
        }
      },
    );
    return () => {
      ctrl.abort();
      connection?.close();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [api, q, reloadToken, receive, refreshAggregates, refreshSoon]);

  useEffect(() => {
    const timer = setInterval(refreshHealth, 15_000);
    return () => clearInterval(timer);
  }, [refreshHealth]);

  const loadMore = useCallback(() => {
    const current = listRef.current;
    if (current.next === null || moreAbort.current) return;
    const gen = generation.current;
    const ctrl = new AbortController();
    moreAbort.current = ctrl;
    setLoadingMore(true);
    api.deliveries({ q: qRef.current, limit: NEXT_PAGE, before: current.next }, ctrl.signal).then(
      (page) => {
        if (gen !== generation.current) return;
        setList((prev) => appendPage(prev, page));
        setError(null);
      },
      (err: unknown) => {
        if (!isAbort(err) && gen === generation.current) setError(err instanceof Error ? err.message : String(err));
      },
    ).finally(() => {
      if (moreAbort.current === ctrl) {
        moreAbort.current = null;
        setLoadingMore(false);
      }
    });
  }, [api]);

  const setPaused = useCallback(
    (value: boolean) => {
      pausedRef.current = value;
      setPausedState(value);
      if (value) return;
      const held = pending.current;
      pending.current = [];
      setPendingCount(0);
      if (overflowed.current) {
        overflowed.current = false;
        setReloadToken((n) => n + 1);
      } else if (held.length) {
        setList((prev) => addLive(prev, held));
        countLocally(held);
      }
    },
    [countLocally],
  );

  const reload = useCallback(() => setReloadToken((n) => n + 1), []);
  const noteFirstVisible = useCallback((index: number) => {
    firstVisible.current = index;
  }, []);

  const removeLocal = useCallback(
    (ids: number[]) => {
      setList((prev) => removeIds(prev, ids));
      refreshSoon();
    },
    [refreshSoon],
  );

  return {
    list, loadedQuery, loading, loadingMore, error, status, paused, pendingCount,
    facets, histogram, health, loadMore, setPaused, reload, noteFirstVisible, removeLocal,
  };
}
