// The file name "Download raw" saves a body under: the extension says what the bytes are
// (.json for a JSON body, .txt for other text, .bin otherwise), so the file opens in the
// right program. Shared by the API's Content-Disposition and the UI's download attribute.
import type { BodyKind } from './protocol.ts';

export function rawFileName(id: number, kind: BodyKind): string {
  const ext = kind === 'json' ? 'json' : kind === 'text' || kind === 'invalid-json' ? 'txt' : 'bin';
  return `delivery-${id}.${ext}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The kind of a stored body from its bytes alone (the receiver's rule, without the Content-Type hint). */
export function bodyKindOfBytes(bytes: Uint8Array): BodyKind {
  if (bytes.length === 0) return 'empty';
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return 'binary';
  }
  try {
    JSON.parse(text);
    return 'json';
  } catch {
    return 'text';
  }
}
