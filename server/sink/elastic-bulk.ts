// The _bulk body (NDJSON): an action line ({"index"|"create"|"update"|"delete": {metadata}})
// followed, except for delete, by a source line. A malformed action line, a missing index or
// a body not ending in a newline refuses the whole request (400), as Elasticsearch does; a
// source line that is not JSON fails only its own item. The body is walked once as bytes
// (linear in its size): each line is found by its newline byte, decoded on its own, and a
// source line's bytes are a view of the body, not a copy.
import { isUtf8 } from 'node:buffer';
import type { BulkAction } from './elastic-answers.ts';
import { invalidIndexReason } from './elastic-answers.ts';

export interface BulkOp {
  action: BulkAction;
  index: string;
  id: string | null;
  /** Exact text of the source line (null for delete). */
  source: string | null;
  /** Its exact bytes: a view of the request body (null for delete). */
  sourceBytes: Buffer | null;
  doc: unknown;
  parseError: string | null;
}

export type BulkParse = { ok: true; ops: BulkOp[] } | { ok: false; type: string; reason: string };

const ACTIONS = new Set<string>(['index', 'create', 'update', 'delete']);

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Whether bytes hold only whitespace (blank lines are skipped, as Elasticsearch skips them). */
function isBlank(body: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = body[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== CR && c !== NEWLINE) return false;
  }
  return true;
}

export function parseBulk(body: Buffer, pathIndex: string | null): BulkParse {
  if (!isUtf8(body)) return { ok: false, type: 'illegal_argument_exception', reason: 'the bulk body is not valid UTF-8' };
  if (isBlank(body, 0, body.length)) {
    return { ok: false, type: 'action_request_validation_exception', reason: 'Validation Failed: 1: no requests added;' };
  }
  // https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-bulk.html: "The final line of data must end with a newline character \n."
  if (body[body.length - 1] !== NEWLINE) return { ok: false, type: 'illegal_argument_exception', reason: 'The bulk request must be terminated by a newline [\\n]' };
  const ops: BulkOp[] = [];
  let at = 0;
  let lineNo = 0;
  /** The next line as [start, end) without its newline and a trailing CR; null at the end. */
  const nextLine = (): [number, number] | null => {
    if (at >= body.length) return null;
    const nl = body.indexOf(NEWLINE, at);
    const start = at;
    at = nl + 1;
    lineNo++;
    return [start, nl > start && body[nl - 1] === CR ? nl - 1 : nl];
  };
  // Connectors repeat one action line (`{"create":{"_index":"x"}}`) for every document: a line
  // with the same bytes as the previous action line means the same action, without parsing it.
  let previous: { start: number; end: number; name: BulkAction; index: string } | null = null;
  for (let line = nextLine(); line !== null; line = nextLine()) {
    const [start, end] = line;
    if (isBlank(body, start, end)) continue;
    if (previous !== null && end - start === previous.end - previous.start && body.compare(body, previous.start, previous.end, start, end) === 0) {
      const source = readSource(previous.name, previous.index, null);
      if (source !== null) return source;
      continue;
    }
    const malformed = (why: string): BulkParse => ({ ok: false, type: 'illegal_argument_exception', reason: `Malformed action/metadata line [${lineNo}], ${why}` });
    let action: unknown;
    try {
      action = JSON.parse(body.toString('utf8', start, end));
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
      ops.push({ action: name, index, id, source: null, sourceBytes: null, doc: null, parseError: null });
      continue;
    }
    if (name === 'update' && id === null) return { ok: false, type: 'action_request_validation_exception', reason: 'Validation Failed: 1: id is missing;' };
    // Only a line without an _id can stand for the next ones (each of those gets its own id).
    previous = id === null ? { start, end, name, index } : null;
    const failed = readSource(name, index, id);
    if (failed !== null) return failed;
  }
  return { ok: true, ops };

  /** The source line after an index, create or update action; a refusal when there is none. */
  function readSource(name: BulkAction, index: string, id: string | null): BulkParse | null {
    const sourceLine = nextLine();
    if (sourceLine === null) return { ok: false, type: 'illegal_argument_exception', reason: 'The bulk request must be terminated by a newline [\\n]' };
    const sourceBytes = body.subarray(sourceLine[0], sourceLine[1]);
    const source = sourceBytes.toString('utf8');
    let doc: unknown = null;
    let parseError: string | null = null;
    try {
      doc = JSON.parse(source);
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) parseError = 'the document must be a JSON object';
    } catch (e) {
      parseError = (e as Error).message;
    }
    ops.push({ action: name, index, id, source, sourceBytes, doc, parseError });
    return null;
  }
}
