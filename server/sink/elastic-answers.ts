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
 * are time-based and unique, not secret: here 8 random bytes per process and a counter.
 */
const idPrefix = randomBytes(8);
let idCounter = 0;
export function newDocumentId(): string {
  const bytes = Buffer.alloc(15);
  idPrefix.copy(bytes);
  bytes.writeUIntBE(++idCounter, 8, 6);
  bytes[14] = idCounter % 251;
  return bytes.toString('base64url');
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
  error?: { type: string; reason: string };
}

export function itemSuccess(action: BulkAction, index: string, id: string, seqNo: number): ItemResult {
  const created = action === 'index' || action === 'create';
  return {
    _index: index, _id: id, _version: 1, result: created ? 'created' : action === 'update' ? 'updated' : 'deleted',
    _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: seqNo, _primary_term: 1, status: created ? 201 : 200,
  };
}

export function itemFailure(index: string, id: string, status: number, type: string, reason: string): ItemResult {
  return { _index: index, _id: id, status, error: { type, reason } };
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
