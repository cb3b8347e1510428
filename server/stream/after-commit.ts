// What happens after rows are committed: the group commits of this process fan out to the
// stream and to live forwarding, and rows other processes wrote into the same database
// (`import`, `replay` from a terminal) are adopted on a timer so stream clients see them too
// and their cursors stay exact. The store and the listeners are passed in.
import { EMPTY_QUERY } from '../common/query.ts';
import type { DeliverySummary } from '../common/protocol.ts';
import type { NewDelivery } from '../delivery/new-delivery.ts';
import type { AttemptStore } from '../store/attempts.ts';
import type { DeliveryStore } from '../store/deliveries.ts';
import type { Hub } from './hub.ts';

/** The committed summaries and the records they came from, in the same order (receiver/ingest.ts). */
export type CommitListener = (batch: DeliverySummary[], records: readonly NewDelivery[]) => void;

/**
 * One callback for the ingest queue that hands each committed group to every listener in
 * order. A listener that throws is reported and never keeps the others from hearing.
 */
export function createCommitFanOut(listeners: readonly CommitListener[], onError: (err: Error) => void): CommitListener {
  return (batch, records) => {
    for (const listener of listeners) {
      try {
        listener(batch, records);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
}

export interface ExternalRowsDeps {
  deliveries: Pick<DeliveryStore, 'stats' | 'listAfter'>;
  attempts: Pick<AttemptStore, 'lastId' | 'listAfter'>;
  hub: Pick<Hub, 'publish' | 'adoptAttempts' | 'lastPublished'>;
  /** Group commits of ours queued or in flight: while there are any, new rows may be ours. */
  pending: () => number;
  /** Forward attempts of ours being committed on the writer thread, not yet announced. */
  attemptsPending?: () => number;
  /** How often to look for rows of other processes, ms (1000 in `serve`). */
  intervalMs: number;
}

export interface ExternalRows {
  /** Completed looks so far (tests wait on this instead of sleeping). */
  readonly rounds: number;
  stop(): void;
}

/** Adopts deliveries and attempts that other processes committed to this database. */
export function startExternalRows(deps: ExternalRowsDeps): ExternalRows {
  let attemptCursor = deps.attempts.lastId();
  let rounds = 0;
  function look(): void {
    const recorded = deps.attempts.listAfter(attemptCursor, 500);
    if (recorded.length > 0) {
      attemptCursor = recorded.at(-1)!.attempt.id;
      // A forwarding batch of ours may be committed but not yet announced: its rows would look
      // like another process's, and it announces them itself.
      const ours = (deps.attemptsPending?.() ?? 0) > 0;
      deps.hub.adoptAttempts(ours ? recorded.filter((r) => r.attempt.kind !== 'forward') : recorded);
    }
    // With no commit of ours queued or in flight, any row beyond what we published is theirs.
    if (deps.pending() === 0 && deps.deliveries.stats().lastId > deps.hub.lastPublished) {
      deps.hub.publish(deps.deliveries.listAfter(EMPTY_QUERY, deps.hub.lastPublished, 500));
    }
  }
  const timer = setInterval(() => {
    look();
    rounds++;
  }, deps.intervalMs);
  timer.unref();
  return {
    get rounds() {
      return rounds;
    },
    stop: () => clearInterval(timer),
  };
}
