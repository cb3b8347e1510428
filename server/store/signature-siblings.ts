// Deliveries that verified and share the bytes or the event link with a given one: the
// evidence signature debugging reads to tell a changed body from another token. A few rows
// at most, found through the body-hash and link-key indexes.
import type { Db } from './db.ts';

export interface SignatureSibling {
  id: number;
  sameBody: boolean;
  /** Same link key; the caller confirms the event link itself (keys may collide). */
  sameLinkKey: boolean;
}

const LIMIT = 20;

export type SignatureSiblings = ReturnType<typeof createSignatureSiblings>;

export function createSignatureSiblings(db: Db) {
  const self = db.prepare('SELECT link_key, body_sha256 FROM deliveries WHERE id = ?');
  // The deliveries_sha index (its expression written the same way so it is used) holds rows
  // without an event link only; rows with one are found by link_key, and equal bytes have
  // equal links, so the two lookups together find every delivery with the same bytes.
  const bySha = db.prepare(`SELECT id FROM deliveries WHERE substr(body_sha256, 1, 16) = ? AND link_key IS NULL AND body_sha256 = ?
    AND id != ? AND signature = 'valid' ORDER BY id DESC LIMIT ${LIMIT}`).pluck();
  const byLink = db.prepare(`SELECT id, body_sha256 FROM deliveries WHERE link_key = ? AND id != ? AND signature = 'valid'
    ORDER BY id DESC LIMIT ${LIMIT}`);

  /** Verified deliveries with the same bytes or (for a delivery with an event link) the same link key, newest first. */
  function find(id: number): SignatureSibling[] {
    const row = self.get(id) as { link_key: number | null; body_sha256: string } | undefined;
    if (!row) return [];
    const out = new Map<number, SignatureSibling>();
    if (row.link_key === null) {
      for (const other of bySha.all(row.body_sha256.slice(0, 16), row.body_sha256, id) as number[]) {
        out.set(other, { id: other, sameBody: true, sameLinkKey: false });
      }
    } else {
      for (const r of byLink.all(row.link_key, id) as { id: number; body_sha256: string }[]) {
        out.set(r.id, { id: r.id, sameBody: r.body_sha256 === row.body_sha256, sameLinkKey: true });
      }
    }
    return [...out.values()];
  }

  return { find };
}
