// The _bulk body (NDJSON): an action line ({"index"|"create"|"update"|"delete": {metadata}})
// followed, except for delete, by a source line. A malformed action line, a missing index or
// a body not ending in a newline refuses the whole request (400), as Elasticsearch does; a
// source line that is not JSON fails only its own item.
import type { BulkAction } from './elastic-answers.ts';
import { invalidIndexReason } from './elastic-answers.ts';

export interface BulkOp {
  action: BulkAction;
  index: string;
  id: string | null;
  /** Exact text of the source line (null for delete). */
  source: string | null;
  doc: unknown;
  parseError: string | null;
}

export type BulkParse = { ok: true; ops: BulkOp[] } | { ok: false; type: string; reason: string };

const ACTIONS = new Set<string>(['index', 'create', 'update', 'delete']);

export function parseBulk(text: string, pathIndex: string | null): BulkParse {
  if (text.trim() === '') return { ok: false, type: 'action_request_validation_exception', reason: 'Validation Failed: 1: no requests added;' };
  // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html: "The final line of data must end with a newline character \n."
  if (!text.endsWith('\n')) return { ok: false, type: 'illegal_argument_exception', reason: 'The bulk request must be terminated by a newline [\\n]' };
  const lines = text.split('\n');
  lines.pop();
  const ops: BulkOp[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const malformed = (why: string): BulkParse => ({ ok: false, type: 'illegal_argument_exception', reason: `Malformed action/metadata line [${i + 1}], ${why}` });
    let action: unknown;
    try {
      action = JSON.parse(line);
    } catch {
      return malformed('expected START_OBJECT but found something that is not JSON');
    }
    if (action === null || typeof action !== 'object' || Array.isArray(action)) return malformed('expected START_OBJECT');
    const keys = Object.keys(action);
    if (keys.length !== 1 || !ACTIONS.has(keys[0]!)) {
      return malformed(`expected field [create], [delete], [index] or [update] but found [${String(keys[0] ?? '').slice(0, 64)}]`);
    }
    const name = keys[0] as BulkAction;
    const meta = (action as Record<string, unknown>)[name];
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return malformed(`expected START_OBJECT for [${name}]`);
    const m = meta as Record<string, unknown>;
    const index = typeof m._index === 'string' ? m._index : pathIndex;
    if (index === null) return { ok: false, type: 'action_request_validation_exception', reason: `Validation Failed: 1: index is missing;` };
    const bad = invalidIndexReason(index);
    if (bad !== null) return { ok: false, type: 'invalid_index_name_exception', reason: `Invalid index name [${index.slice(0, 255)}], ${bad}` };
    const id = typeof m._id === 'string' ? m._id : m._id === undefined ? null : String(m._id);
    if (name === 'delete') {
      if (id === null) return { ok: false, type: 'action_request_validation_exception', reason: 'Validation Failed: 1: id is missing;' };
      ops.push({ action: name, index, id, source: null, doc: null, parseError: null });
      continue;
    }
    if (name === 'update' && id === null) return { ok: false, type: 'action_request_validation_exception', reason: 'Validation Failed: 1: id is missing;' };
    i++;
    if (i >= lines.length) return { ok: false, type: 'illegal_argument_exception', reason: 'The bulk request must be terminated by a newline [\\n]' };
    const source = lines[i]!.replace(/\r$/, '');
    let doc: unknown = null;
    let parseError: string | null = null;
    try {
      doc = JSON.parse(source);
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) parseError = 'the document must be a JSON object';
    } catch (e) {
      parseError = (e as Error).message;
    }
    ops.push({ action: name, index, id, source, doc, parseError });
  }
  return { ok: true, ops };
}
