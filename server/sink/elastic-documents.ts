// Which documents the Elasticsearch sink holds, by index and id, with their versions: a
// `create` of an id that exists is refused (409 version_conflict_engine_exception), an
// `index` of one replaces it ("updated", version + 1), as Elasticsearch's op_type documents
// ("create fails if a document with the same ID already exists in the index, index adds or
// replaces a document as necessary": docs-bulk.html, docs-index_.html). Every item is still
// stored as an output: this only decides the answer. Ids the sink generated are unique and
// not tracked; the ids clients chose are remembered while the process runs, MAX_TRACKED at
// most (the least recently written are forgotten first).
import type { BulkAction } from './elastic-answers.ts';

export const MAX_TRACKED = 100_000;

interface DocState {
  version: number;
  deleted: boolean;
}

export type DocumentDecision =
  | { ok: true; version: number; result: 'created' | 'updated' | 'deleted'; status: 200 | 201 }
  | { ok: false; status: 409; type: 'version_conflict_engine_exception'; reason: string };

/** Undo for the decisions of one request, when its outputs could not be committed. */
export type DocumentUndo = () => void;

export function createDocumentVersions(limit = MAX_TRACKED) {
  // Object.create(null) is not needed: a Map's keys are data, never properties.
  const docs = new Map<string, DocState>();
  const keyOf = (index: string, id: string) => `${index}\u0000${id}`;

  function write(key: string, state: DocState): void {
    docs.delete(key); // re-inserted at the end: the Map's order is the recency order
    docs.set(key, state);
    if (docs.size > limit) docs.delete(docs.keys().next().value!);
  }

  return {
    /**
     * The answer for `action` on a client-chosen id, recorded at once (so two requests in flight
     * with the same create see each other); `undo` collects how to take it back.
     */
    decide(action: BulkAction, index: string, id: string, undo: DocumentUndo[]): DocumentDecision {
      const key = keyOf(index, id);
      const prior = docs.get(key);
      const live = prior !== undefined && !prior.deleted;
      if (action === 'create' && live) {
        return {
          ok: false, status: 409, type: 'version_conflict_engine_exception',
          reason: `[${id}]: version conflict, document already exists (current version [${prior.version}])`,
        };
      }
      // The sink keeps a log, not the documents: an update or delete of an id it never saw is
      // answered as if that id existed at version 1 (README, "SIEM sinks").
      const version = prior ? prior.version + 1 : action === 'update' || action === 'delete' ? 2 : 1;
      write(key, { version, deleted: action === 'delete' });
      undo.push(() => {
        if (prior) write(key, prior);
        else docs.delete(key);
      });
      if (action === 'delete') return { ok: true, version, result: 'deleted', status: 200 };
      if (action === 'update' || live) return { ok: true, version, result: 'updated', status: 200 };
      return { ok: true, version, result: 'created', status: 201 };
    },
    get size() {
      return docs.size;
    },
  };
}
