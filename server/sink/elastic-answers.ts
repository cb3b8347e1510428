// Elasticsearch's answer shapes, as its REST API documents them: cluster info (GET /),
// the error envelope {error: {root_cause, type, reason}, status}, one bulk item, and the
// product header every answer carries (the official clients refuse a server without it).
import { randomBytes } from 'node:crypto';

export const PRODUCT_HEADER = ['x-elastic-product', 'Elasticsearch'] as const;
/** The version this sink answers as; 8.x and 9.x clients accept it. */
export const ES_VERSION = '8.17.0';

export function clusterInfo(uuid: string) {
  return {
    name: 'soveren-inspector',
    cluster_name: 'soveren-inspector',
    cluster_uuid: uuid,
    version: {
      number: ES_VERSION,
      build_flavor: 'default',
      build_type: 'tar',
      build_hash: '0000000000000000000000000000000000000000',
      build_date: '2024-12-11T12:08:05.663969764Z',
      build_snapshot: false,
      lucene_version: '9.12.0',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

export function esError(type: string, reason: string, status: number, extra: Record<string, unknown> = {}) {
  const cause = { type, reason, ...extra };
  return { error: { root_cause: [cause], ...cause }, status };
}

/**
 * Ids as Elasticsearch generates them: 20 characters of URL-safe base64. Elasticsearch's own
 * are time-based and unique, not secret: here 9 random bytes per process (12 characters) and a
 * 6-byte counter (8 characters), each a whole number of base64 groups.
 */
const idPrefix = randomBytes(9).toString('base64url');
const counterBytes = Buffer.alloc(6);
let idCounter = 0;
export function newDocumentId(): string {
  counterBytes.writeUIntBE(++idCounter, 0, 6);
  return idPrefix + counterBytes.toString('base64url');
}

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface ItemResult {
  _index: string;
  _id: string;
  _version?: number;
  result?: string;
  _shards?: { total: number; successful: number; failed: number };
  _seq_no?: number;
  _primary_term?: number;
  status: number;
  error?: { type: string; reason: string; index_uuid?: string; shard?: string; index?: string };
}

/** What an accepted item did to its document (elastic-documents.ts). */
export interface ItemOutcome {
  version: number;
  result: 'created' | 'updated' | 'deleted';
  status: 200 | 201;
}

/** A new document with an id the sink generated. */
export const CREATED: ItemOutcome = { version: 1, result: 'created', status: 201 };

export function itemSuccess(index: string, id: string, seqNo: number, outcome: ItemOutcome): ItemResult {
  return {
    _index: index, _id: id, _version: outcome.version, result: outcome.result,
    _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: seqNo, _primary_term: 1, status: outcome.status,
  };
}

export function itemFailure(index: string, id: string, status: number, type: string, reason: string): ItemResult {
  return { _index: index, _id: id, status, error: { type, reason } };
}

/**
 * A failure that Elasticsearch raises in a shard names the shard's index: `index_uuid`, `shard`
 * and `index` beside `type` and `reason` (as in the bulk API's documented example of a failed item).
 */
export function shardFailure(index: string, indexUuid: string, type: string, reason: string) {
  return { type, reason, index_uuid: indexUuid, shard: '0', index };
}

/**
 * Index names as Elasticsearch accepts them: lowercase, not starting with `_`, `-` or `+`,
 * none of `\ / * ? " < > | , #` or space, not `.` or `..`, at most 255 bytes.
 */
export function invalidIndexReason(name: string): string | null {
  if (name === '' || name === '.' || name === '..') return 'must not be empty, "." or ".."';
  if (Buffer.byteLength(name) > 255) return 'index name is too long';
  if (/^[_\-+]/.test(name)) return 'must not start with \'_\', \'-\', or \'+\'';
  if (/[\\/*?"<>| ,#:]/.test(name)) return 'must not contain the following characters [\'\\\\\', \'/\', \'*\', \'?\', \'"\', \'<\', \'>\', \'|\', \' \', \',\', \'#\', \':\']';
  if (name !== name.toLowerCase()) return 'must be lowercase';
  return null;
}
