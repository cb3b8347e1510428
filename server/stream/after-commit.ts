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
  attempts: Pick<AttemptStore, 'lastId' | 'idsAfter' | 'listIds'>;
  hub: Pick<Hub, 'publish' | 'adoptAttempts' | 'publishedAttempt' | 'lastPublished'>;
  /** Group commits of ours queued or in flight: while there are any, new rows may be ours. */
  pending: () => number;
  /** Forward attempts of ours being committed on the writer thread, not yet announced. */
  attemptsCommitting?: () => number;
  /** How often to look for rows of other processes, ms (1000 in `serve`). */
  intervalMs: number;
}

export interface ExternalRows {
  /** Completed looks so far (tests wait on this instead of sleeping). */
  readonly rounds: number;
  stop(): void;
}

/** Attempt ids looked at per round: our own are passed over by id, so this can be generous. */
const ADOPT_IDS = 5000;
/** Others' attempts read and published per round, at most. */
const ADOPT_ROWS = 500;

/** Adopts deliveries and attempts that other processes committed to this database. */
export function startExternalRows(deps: ExternalRowsDeps): ExternalRows {
  let attemptCursor = deps.attempts.lastId();
  let rounds = 0;
  /**
   * Attempts past the cursor: by id first (the primary key, no row read), so the hundreds
   * per second live forwarding records and announces itself are passed over without being
   * read back; only others' rows are read and published. While a forwarding batch of ours
   * is being committed, an id not announced yet may be ours: the cursor stops before it.
   */
  function lookAttempts(): void {
    const ids = deps.attempts.idsAfter(attemptCursor, ADOPT_IDS);
    const committing = (deps.attemptsCommitting?.() ?? 0) > 0;
    const theirs: number[] = [];
    let end = ids.length;
    for (let i = 0; i < ids.length; i++) {
      if (deps.hub.publishedAttempt(ids[i]!)) continue;
      if (committing || theirs.length === ADOPT_ROWS) {
        end = i;
        break;
      }
      theirs.push(ids[i]!);
    }
    if (end === 0) return;
    attemptCursor = ids[end - 1]!;
    deps.hub.adoptAttempts(theirs.length > 0 ? deps.attempts.listIds(theirs) : [], attemptCursor);
  }

  function look(): void {
    lookAttempts();
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
