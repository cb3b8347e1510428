// A tap on the sinks' output ingest: whoever subscribes sees every output once it is
// committed (the UI's Check dialog judges `through` its own sinks this way), while the
// sinks keep committing before they acknowledge.
import type { NewOutput } from '../store/outputs.ts';
import type { OutputIngest } from './output-ingest.ts';

export type OutputListener = (items: readonly NewOutput[]) => void;

export function createOutputTap(inner: OutputIngest) {
  const listeners = new Set<OutputListener>();
  const ingest: OutputIngest = {
    submit: async (items) => {
      await inner.submit(items);
      for (const listener of listeners) listener(items);
    },
    flush: () => inner.flush(),
    get pending() {
      return inner.pending;
    },
  };
  return {
    ingest,
    /** Calls `listener` with every batch committed from now on; returns the unsubscribe. */
    subscribe(listener: OutputListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
