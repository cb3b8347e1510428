// Where live forwarding's tries go: each becomes a stored attempt, in batches through the
// writer thread when the inspector has one (attempt-batch.ts), else recorded at once; each
// is announced (streamed) once stored, with its id. Never throws: a store failure is logged.
import type { Attempt, AttemptSent } from '../common/protocol.ts';
import type { AttemptStore, NewAttempt } from '../store/attempts.ts';
import { createAttemptBatch, type WriteAttempts } from './attempt-batch.ts';
import type { OutboundResult } from './http.ts';
import { newAttempt } from './replay.ts';

export interface ForwardAttemptsDeps {
  attempts: Pick<AttemptStore, 'record'>;
  writeAttempts?: WriteAttempts;
  publishAttempt: (deliveryId: number, attempt: Attempt) => void;
  log: (line: string) => void;
}

export function createForwardAttempts(deps: ForwardAttemptsDeps) {
  const batch = deps.writeAttempts
    ? createAttemptBatch({
      write: deps.writeAttempts, onRecorded: (id, attempt) => deps.publishAttempt(id, attempt),
      onError: (err) => deps.log(`forward attempts not recorded: ${err.message}`),
    })
    : null;

  return {
    /** For the replayer (webhook targets): attempts it makes join the batches; undefined without a writer thread. */
    queue: batch ? (a: NewAttempt) => batch.add(a) : undefined,
    /** One try of a delivery; `target` already shown without user:password. */
    record(deliveryId: number, target: string, sent: AttemptSent, r: OutboundResult): void {
      const attempt = newAttempt(deliveryId, 'forward', target, sent, r);
      if (batch) return batch.add(attempt);
      try {
        const stored = deps.attempts.record(attempt);
        if (stored) deps.publishAttempt(deliveryId, stored); // undefined: the delivery was deleted meanwhile
      } catch (err) {
        deps.log(`forward attempt not recorded: ${(err as Error).message}`);
      }
    },
    /** Resolves once every attempt so far is stored (shutdown). */
    flush: async (): Promise<void> => batch?.flush(),
    /** Attempts being committed, not yet announced. */
    get committing(): number {
      return batch?.committing ?? 0;
    },
  };
}
