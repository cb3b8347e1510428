// A delivery as the receiver (or an import) hands it to the store, and the body decoding
// both sides use. Shared by receiver/, store/ and export/, so neither reaches into the other.
import type { BodyKind, Finding, SignatureDetail, UserAgentVerdict } from '../common/protocol.ts';

/** What the receiver hands over for one request. */
export interface NewDelivery {
  receivedAt: number;
  method: string;
  path: string;
  query: string;
  remoteAddress: string | null;
  headers: [string, string][];
  body: Buffer;
  /** Bytes received, or the declared size of a refused body. */
  size: number;
  bodySha256: string;
  bodyKind: BodyKind;
  /** Body as text for free-text search, when it is UTF-8. */
  bodyText: string | null;
  contentType: string | null;
  category: string | null;
  categoryFacet: string | null;
  eventType: string | null;
  sensitivity: string | null;
  title: string | null;
  eventTime: string | null;
  signatureDetail: SignatureDetail;
  userAgent: UserAgentVerdict;
  userAgentValue: string | null;
  findings: Finding[];
  status: number;
  refused: string | null;
  /** Correlation keys (soveren/event-keys.ts) that SIEM outputs find this delivery by. */
  linkKey?: number | null;
  titleKey?: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** The body as text when it is valid UTF-8 (a BOM is kept as a character), else null. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
