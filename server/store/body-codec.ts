// Stored payloads: what a delivery's detail shows but no query filters on (raw headers,
// signature detail, findings, body) is kept per group commit in one chunk, compressed
// together (raw deflate primed with a dictionary of Soveren's JSON): similar deliveries
// cost a few hundred bytes each on disk and one compressor call per commit, not per
// delivery. Decompression gives back the exact bytes received.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Codec ids stored with every chunk. A codec, once used, must decode the same forever. */
export const CODEC_DEFLATE_V1 = 1;

// Never edit: chunks written with codec 1 need exactly these bytes to decompress. A better
// dictionary becomes codec 2. Deflate looks back from the end, so the commonest text is last.
const DICTIONARY_V1 = Buffer.from(
  '"database_type":"PostgreSQL","database_name":"","table":"","collection":"","topic":"","scheme":"https",' +
    '"object_type":"","entity_name":"","s3_bucket":"","evidence_link":"https://app.soveren.io/","release_notes_link":"https://docs.soveren.io/",' +
    '"third_party_ip":"","user_agent":"Mozilla/5.0 ","conflicting_assets":[{"name":"","link":"https://app.soveren.io/data-map/assets/"}],' +
    '"policy":{"link":"https://app.soveren.io/policies/","name":""},' +
    '"endpoint":{"link":"https://app.soveren.io/data-map/endpoints/","url":"https://","hostname":"","method":"POST"},' +
    '"receiving":{"link":"https://app.soveren.io/data-map/assets/","name":"","namespace":"","groups":[{"link":"https://app.soveren.io/data-map/groups/","name":""}]},' +
    '"sending":{"link":"https://app.soveren.io/data-map/assets/","name":"","namespace":"","groups":[{"link":"https://app.soveren.io/data-map/groups/","name":""}]},' +
    '"event_triggered_by":"sending","data_types":["Email","Phone number","Full name","Address","IP address","Credit card number"],' +
    '"category":"Infrastructure updates","category":"Data at risk","category":"Misconfiguration","category":"Other",' +
    '"event_type":"new_external_receiver","event_type":"policy_violation",' +
    '[{"code":"user_agent","severity":"info","message":""}]' +
    '{"verdict":"valid","headers":["sha256=],"matchedToken":0,"tokenCount":1,"reason":"signature matches the body","uppercaseHex":false}' +
    '[["Host","127.0.0.1:4781"],["Connection","keep-alive"],["Content-Type","application/json"],["User-Agent","SoverenWebhook/1.0"],' +
    '["x-soveren-signature","sha256="],["Content-Length",""]]' +
    '{"title":"Data type ","sensitivity":"High","sensitivity":"Medium","sensitivity":"Low","time":"2025-01-01T00:00:00.000Z",' +
    '"event_link":"https://app.soveren.io/events/',
  'utf8',
);

/** Entries of one chunk never exceed this much uncompressed (an entry alone may). */
export const CHUNK_BYTES = 128 * 1024;

/** One delivery's entry: each part prefixed with its length (u32), parts in a fixed order. */
export function packEntry(parts: readonly Uint8Array[]): Buffer {
  const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    at = out.writeUInt32LE(p.length, at);
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The `count` parts of the entry at `offset` of a decompressed chunk (views, not copies). */
export function readEntry(chunk: Buffer, offset: number, count: number): Buffer[] {
  const parts: Buffer[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const length = chunk.readUInt32LE(at);
    parts.push(chunk.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return parts;
}

export function compressChunk(entries: readonly Uint8Array[]): Buffer {
  return deflateRawSync(entries.length === 1 ? entries[0]! : Buffer.concat(entries), { level: 1, dictionary: DICTIONARY_V1 });
}

export function decompressChunk(codec: number, data: Uint8Array): Buffer {
  if (codec !== CODEC_DEFLATE_V1) throw new Error(`stored chunk has codec ${codec}, which this version cannot read`);
  return inflateRawSync(data, { dictionary: DICTIONARY_V1 });
}
