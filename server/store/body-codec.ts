// Stored bodies: the bodies of one group commit are concatenated and compressed together
// (raw deflate primed with a dictionary of Soveren's JSON), so similar events cost a few
// hundred bytes each on disk and one compressor call per commit, not per delivery.
// Decompression gives back the exact bytes received.
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
    '{"title":"Data type ","sensitivity":"High","sensitivity":"Medium","sensitivity":"Low","time":"2025-01-01T00:00:00.000Z",' +
    '"event_link":"https://app.soveren.io/events/',
  'utf8',
);

/** Bodies of one chunk never exceed this much uncompressed (a body alone may). */
export const CHUNK_BYTES = 128 * 1024;

export function compressChunk(bodies: readonly Uint8Array[]): Buffer {
  const joined = bodies.length === 1 ? bodies[0]! : Buffer.concat(bodies);
  return deflateRawSync(joined, { level: 1, dictionary: DICTIONARY_V1 });
}

export function decompressChunk(codec: number, data: Uint8Array): Buffer {
  if (codec !== CODEC_DEFLATE_V1) throw new Error(`stored body chunk has codec ${codec}, which this version cannot read`);
  return inflateRawSync(data, { dictionary: DICTIONARY_V1 });
}
